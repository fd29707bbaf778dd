#pragma once
// What one verdict log line says (docs/log-format.md), assembled by the shell after decide():
// the decoded packet, the decision, the packet's metadata, the policy's names for what decided,
// and where the packet came from (a capture frame or a queue packet). It refers to the packet
// and views the policy's and the caller's strings, all of which outlive it: a record is built,
// written and dropped within one packet's handling.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "filter/decode/decoded_packet.h"
#include "filter/decode/icmp_types.h"
#include "filter/decode/packet_meta.h"
#include "filter/log/ip_text.h"
#include "filter/verdict/decision.h"
#include "rules/compiled_policy.h"

namespace icmpgate::log {

// The most of each string a line writes (the line's buffer is sized from them, line_writer.h).
// Longer text is cut at a UTF-8 character boundary when the line is written. A loaded policy's
// rule ids and limiter names are at most 64 characters already (docs/policy.md).
inline constexpr std::size_t kRuleIdMax = 64;
inline constexpr std::size_t kLimiterNameMax = 64;
inline constexpr std::size_t kPcapFilenameMax = 255;  // NAME_MAX: the file name without its directory
inline constexpr std::size_t kPolicyDigestMax = 71;   // "sha256:" + 64 hex digits

// Replay: the frame's 1-based number (EVE's pcap_cnt, Wireshark's frame number) and the
// capture's file name.
struct ReplayContext {
    std::uint64_t frame{0};
    std::string_view pcap_filename;
};

// The daemon: the NFQUEUE number and the kernel's packet id.
struct QueueContext {
    std::uint16_t queue{0};
    std::uint32_t packet_id{0};
};

struct VerdictRecord;
[[nodiscard]] VerdictRecord make_verdict_record(const decode::DecodedPacket& packet, const verdict::Decision& decision,
                                                const decode::PacketMeta& meta,
                                                const rules::CompiledPolicy& policy) noexcept;

// A name from the policy (rule id, limiter name, digest) as a line writes it: copied as it is
// when the policy's compiler found every name of the policy plain JSON text
// (rules::CompiledPolicy::names_are_plain, by checking each one), escaped otherwise. Only
// make_verdict_record can mark a name plain; text set any other way is escaped.
class PolicyName {
public:
    constexpr PolicyName() noexcept = default;
    // NOLINTNEXTLINE(google-explicit-constructor): any text converts, and is then escaped
    constexpr PolicyName(std::string_view text) noexcept : text_{text} {}
    // NOLINTNEXTLINE(google-explicit-constructor): the same for a string literal
    constexpr PolicyName(const char* text) noexcept : text_{text} {}

    [[nodiscard]] constexpr std::string_view view() const noexcept { return text_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return text_.empty(); }
    // True only for a name of a policy whose compiler checked every name.
    [[nodiscard]] constexpr bool plain() const noexcept { return plain_; }
    // NOLINTNEXTLINE(google-explicit-constructor): reads as the text it holds
    constexpr operator std::string_view() const noexcept { return text_; }

private:
    friend VerdictRecord make_verdict_record(const decode::DecodedPacket&, const verdict::Decision&,
                                             const decode::PacketMeta&, const rules::CompiledPolicy&) noexcept;
    constexpr PolicyName(std::string_view text, bool plain) noexcept : text_{text}, plain_{plain} {}

    std::string_view text_;
    bool plain_{false};
};

struct VerdictRecord {
    // The decoded packet, not a copy of it (about 700 bytes): built from a temporary it would
    // dangle, so that does not compile.
    explicit VerdictRecord(const decode::DecodedPacket& decoded) noexcept : packet{decoded} {}
    explicit VerdictRecord(decode::DecodedPacket&&) = delete;

    const decode::DecodedPacket& packet;
    std::int64_t time_ns{0};  // capture time (replay) or wall-clock time (daemon), ns since the epoch
    decode::InterfaceName in_iface;
    decode::InterfaceName out_iface;
    verdict::Decision decision;
    // Every anomaly that applied, whatever the policy does with it: the decoder's findings,
    // unknown-type (which the engine judges from the catalogue) and the deciding anomaly.
    decode::AnomalySet anomalies;
    PolicyName rule_id;             // "" when no rule decided
    std::uint32_t signature_id{0};  // EVE's alert.signature_id: the rule's (reason rule), else the reason's fixed id
    PolicyName limiter_name;        // the limiter that had no token (rate-limit)
    // What monitoring found (decision.would_be, icmpgate.monitor): its rule and its limiter.
    PolicyName would_be_rule_id;
    PolicyName would_be_limiter_name;
    PolicyName policy_digest;  // "sha256:<hex>"
    std::optional<ReplayContext> replay;
    std::optional<QueueContext> queue;
    // Set: write EVE's "community_id" (Community ID v1 with this seed, community_id.h). Unset
    // (the default, as in Suricata): no such field.
    std::optional<std::uint16_t> community_id_seed;
    Ipv6Text ipv6_text{Ipv6Text::rfc5952};
};

// Builds a record (declared above, for PolicyName); the context (replay or queue) is set by the
// caller afterwards. The record refers to `packet`, which must outlive it.
VerdictRecord make_verdict_record(decode::DecodedPacket&& packet, const verdict::Decision& decision,
                                  const decode::PacketMeta& meta, const rules::CompiledPolicy& policy) = delete;

// EVE's spelling of an IP protocol (the IANA keyword, as Suricata writes it): "ICMP", "TCP",
// "UDP", "IPv6-ICMP"; "" for any other number, which is then logged as its decimal text ("47"),
// as Suricata logs a protocol it has no name for.
[[nodiscard]] constexpr std::string_view eve_protocol_name(std::uint8_t protocol) noexcept {
    switch (protocol) {
        case decode::kIpProtoIcmp:
            return "ICMP";
        case decode::kIpProtoTcp:
            return "TCP";
        case decode::kIpProtoUdp:
            return "UDP";
        case decode::kIpProtoIcmpv6:
            return "IPv6-ICMP";
        default:
            return "";
    }
}

// The EVE alert object's derived values.
[[nodiscard]] constexpr std::string_view alert_action(rules::Verdict verdict) noexcept {  // "allowed" | "blocked"
    return verdict == rules::Verdict::drop ? "blocked" : "allowed";
}
[[nodiscard]] constexpr std::string_view alert_category(verdict::Reason reason) noexcept {  // "icmp-policy" | ...
    return verdict::reason_info(reason).alert_category;
}
// The reason's drop severity (verdict::kReasons: 1 for anomalies, 2 otherwise) for a drop;
// verdict::kAcceptSeverity (3) for an accept.
[[nodiscard]] unsigned alert_severity(const verdict::Decision& decision) noexcept;

// The reason as logged, in two parts so it can be written without building a string:
// {"anomaly:", "<name>"} for anomalies, {"<reason>", ""} otherwise.
struct TwoPartText {
    std::string_view first;
    std::string_view second;
};
[[nodiscard]] constexpr TwoPartText reason_text(const verdict::Outcome& decision) noexcept {
    if (decision.reason == verdict::Reason::anomaly) return {"anomaly:", decode::anomaly_name(decision.anomaly)};
    return {verdict::reason_name(decision.reason), ""};
}
// alert.signature: the rule id, "anomaly:<name>", "default", "protected",
// "rate-limit:<rule id>" or "not-icmp".
[[nodiscard]] TwoPartText alert_signature(const VerdictRecord& record) noexcept;

}  // namespace icmpgate::log
