#pragma once
// The comment each captured packet carries (its Enhanced Packet Block's opt_comment): what the
// verdict record says about it, as one line of space-separated key=value pairs after the word
// "icmpgate:", in this order (docs/operations.md, "Evidence captures"):
//
//   icmpgate: verdict=drop reason=rule rule=block-echo limiter=- in=c-gw out=gw-r2 queue=0 packet_id=17
//   policy=sha256:...
//
// verdict (accept or drop, the record's verdict.action), would_be (monitor mode only: the
// verdict the policy would have given), reason (the record's icmpgate.reason: "rule",
// "anomaly:bad-checksum", ...), rule and limiter (the record's icmpgate.rule and
// icmpgate.limiter), in and out (the interfaces), queue and packet_id (the daemon only), policy
// (the record's icmpgate.policy). A value that is not known is "-". Values never hold a space:
// in an interface name (which may hold any byte but '/' and blanks) a byte outside '!'..'~', and a
// backslash, is written as \xNN; rule ids, limiter names, reasons and the digest are plain by
// the policy grammar and the tables and are written as they are. Readers split on spaces and at each pair's first '=',
// and ignore keys they do not know (a later version may add some, never rename or reorder these).

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "filter/decode/packet_meta.h"
#include "filter/log/verdict_record.h"
#include "rules/compiled_policy.h"

namespace icmpgate::capture {

// The longest comment: fixed keys and separators (~80 bytes), a rule id and a limiter name of
// 64 bytes, two interface names of 15 bytes each written as \xNN (60 bytes each), the digest.
inline constexpr std::size_t kCommentMax = 512;

struct CommentFields {
    rules::Verdict verdict{rules::Verdict::accept};
    std::optional<rules::Verdict> would_be;  // monitor mode: the verdict the policy would have given
    log::TwoPartText reason;                 // log::reason_text(): {"rule", ""}, {"anomaly:", "bad-checksum"}
    std::string_view rule;                   // "" = no rule decided
    std::string_view limiter;                // "" = no limiter
    decode::InterfaceName in_interface;
    decode::InterfaceName out_interface;
    std::optional<log::QueueContext> queue;
    std::string_view policy_digest;
};

// Writes the comment into `out`; returns its length, or 0 when it does not fit.
[[nodiscard]] std::size_t format_comment(const CommentFields& fields, std::span<char> out) noexcept;

}  // namespace icmpgate::capture
