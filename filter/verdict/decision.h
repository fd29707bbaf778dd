#pragma once
// What decide() returns, and every reason it can give, in one table: enum, the name the log,
// the metrics' reason label and the stats event's by_reason key all use, the EVE alert
// category and severity. Adding a reason is one enumerator and one row; the static_asserts
// below fail until both are there, and every array indexed by reason (counters, snapshots,
// signature ids) is sized from kReasonCount.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "filter/decode/anomaly.h"
#include "rules/compiled_policy.h"

namespace icmpgate::verdict {

enum class Reason : std::uint8_t {
    rule,             // the first matching rule
    default_verdict,  // no rule matched, not protected
    protected_type,   // no rule matched; Frag Needed / Packet Too Big / Time Exceeded are accepted
    rate_limit,       // a matching rule's limiter had no token
    anomaly,          // an anomaly the policy acts on (Decision::anomaly says which)
    not_icmp,         // not ICMP of the packet's own family
    monitor,          // run --monitor: accepted whatever the policy decided (Decision::would_be)
    count_
};

inline constexpr std::size_t kReasonCount = static_cast<std::size_t>(Reason::count_);

struct ReasonInfo {
    Reason reason;
    std::string_view name;            // icmpgate.reason, the reason label, by_reason's key
    std::string_view alert_category;  // EVE alert.category
    unsigned drop_severity;           // EVE alert.severity of a drop for this reason (1 = highest)
    std::string_view summary;         // one line for docs and summaries
};

// EVE alert.severity of every accept, whatever the reason.
inline constexpr unsigned kAcceptSeverity = 3;

inline constexpr std::array<ReasonInfo, kReasonCount> kReasons{{
    {Reason::rule, "rule", "icmp-policy", 2, "the first matching rule decided"},
    {Reason::default_verdict, "default", "icmp-policy", 2, "no rule matched: the policy's default verdict"},
    {Reason::protected_type, "protected", "icmp-policy", 2,
     "no rule matched a message path MTU discovery or traceroute needs: accepted"},
    {Reason::rate_limit, "rate-limit", "icmp-rate-limit", 2, "a matching rule's rate limiter had no token"},
    {Reason::anomaly, "anomaly", "icmp-anomaly", 1, "an anomaly the policy acts on"},
    {Reason::not_icmp, "not-icmp", "icmp-policy", 2, "not ICMP of the packet's own family: accepted"},
    {Reason::monitor, "monitor", "icmp-policy", 2,
     "monitor mode (run --monitor): accepted; what the policy decided is the would-be verdict"},
}};

static_assert(
    [] {
        for (std::size_t i = 0; i < kReasonCount; ++i) {
            if (static_cast<std::size_t>(kReasons[i].reason) != i) return false;
            if (kReasons[i].name.empty() || kReasons[i].alert_category.empty()) return false;
            if (kReasons[i].drop_severity == 0 || kReasons[i].drop_severity >= kAcceptSeverity) return false;
            for (std::size_t j = i + 1; j < kReasonCount; ++j)
                if (kReasons[i].name == kReasons[j].name) return false;
        }
        return true;
    }(),
    "kReasons: one row per Reason, in enum order, each with its own name and a drop severity above an accept's");

// What a value outside the enum reads as (a Reason is only ever one of the table's; the check
// keeps a corrupted value from indexing past the table).
inline constexpr ReasonInfo kUnknownReason{Reason::count_, "?", "icmp-policy", 2, "not a reason"};

[[nodiscard]] constexpr const ReasonInfo& reason_info(Reason r) noexcept {
    const auto i = static_cast<std::size_t>(r);
    return i < kReasonCount ? kReasons[i] : kUnknownReason;
}
[[nodiscard]] constexpr std::string_view reason_name(Reason r) noexcept {
    return reason_info(r).name;
}

// A verdict and why: what decided a packet, or what a rule in monitor mode would have decided.
struct Outcome {
    rules::Verdict verdict{rules::Verdict::accept};
    Reason reason{Reason::not_icmp};
    decode::Anomaly anomaly{decode::Anomaly::truncated};  // meaningful when reason == anomaly
    std::optional<rules::RuleIndex> rule;                 // the matching rule (rule, rate-limit)
    std::optional<rules::LimiterIndex> limiter;           // the limiter that had no token

    friend constexpr bool operator==(const Outcome&, const Outcome&) noexcept = default;
};

struct Decision : Outcome {
    // What was not enforced: the first rule in monitor mode that matched before the deciding
    // step, as that rule would have decided (docs/policy.md, "Monitor mode"); with run --monitor,
    // the policy's own decision while the packet is accepted (reason monitor, monitored()).
    // Empty otherwise.
    std::optional<Outcome> would_be;

    friend constexpr bool operator==(const Decision&, const Decision&) noexcept = default;
};

// run --monitor (docs/operations.md, "Monitor"): the packet is accepted with reason monitor and
// the policy's decision becomes the would-be. A monitor rule's would-be, which the policy's
// decision carries, gives way: with the whole policy monitored, what it would enforce is the
// question.
[[nodiscard]] constexpr Decision monitored(const Decision& policy_decision) noexcept {
    Decision d;
    d.verdict = rules::Verdict::accept;
    d.reason = Reason::monitor;
    d.would_be = static_cast<const Outcome&>(policy_decision);
    return d;
}

// What the policy's rules decided: the would-be under run --monitor, the decision otherwise. Its
// rule's "log" setting and its rule and reason for --log-rate's budgets apply to the line.
[[nodiscard]] constexpr const Outcome& policy_outcome(const Decision& d) noexcept {
    return d.reason == Reason::monitor && d.would_be ? *d.would_be : d;
}

}  // namespace icmpgate::verdict
