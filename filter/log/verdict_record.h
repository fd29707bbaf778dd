#pragma once
// What one verdict log line says (docs/log-format.md). A value type assembled by the
// shell after decide(): the decoded packet, the decision, the packet's metadata, the
// policy's names for what decided, and where the packet came from (a capture frame or
// a queue packet). Strings are views into the policy and the caller, which outlive it.

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

// Bounds that make a worst-case line fit its buffer (json_line.h). Longer text is cut at
// a UTF-8 character boundary when the line is written.
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

struct VerdictRecord {
    std::int64_t time_ns{0};  // capture time (replay) or wall-clock time (daemon), ns since the epoch
    decode::InterfaceName in_iface;
    decode::InterfaceName out_iface;
    decode::DecodedPacket packet;
    verdict::Decision decision;
    // Every anomaly that applied, whatever the policy does with it: the decoder's findings,
    // unknown-type (which the engine judges from the catalogue) and the deciding anomaly.
    decode::AnomalySet anomalies;
    std::string_view rule_id;       // "" when no rule decided
    std::uint32_t signature_id{0};  // EVE's alert.signature_id: the rule's (reason rule), else the reason's fixed id
    std::string_view limiter_name;              // the limiter that had no token (rate-limit)
    std::string_view policy_digest;             // "sha256:<hex>"
    // rule_id, limiter_name and policy_digest need no JSON escaping (the policy's
    // names_are_plain): the line copies them without a scan. Clear it when setting any of
    // them to other text.
    bool names_are_plain{false};
    std::optional<ReplayContext> replay;
    std::optional<QueueContext> queue;
    // Set: write EVE's "community_id" (Community ID v1 with this seed, community_id.h). Unset
    // (the default, as in Suricata): no such field.
    std::optional<std::uint16_t> community_id_seed;
    Ipv6Text ipv6_text{Ipv6Text::rfc5952};
};

// Builds a record; the context (replay or queue) is set by the caller afterwards.
[[nodiscard]] VerdictRecord make_verdict_record(const decode::DecodedPacket& packet, const verdict::Decision& decision,
                                                const decode::PacketMeta& meta,
                                                const rules::CompiledPolicy& policy) noexcept;

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
[[nodiscard]] constexpr TwoPartText reason_text(const verdict::Decision& decision) noexcept {
    if (decision.reason == verdict::Reason::anomaly) return {"anomaly:", decode::anomaly_name(decision.anomaly)};
    return {verdict::reason_name(decision.reason), ""};
}
// alert.signature: the rule id, "anomaly:<name>", "default", "protected",
// "rate-limit:<rule id>" or "not-icmp".
[[nodiscard]] TwoPartText alert_signature(const VerdictRecord& record) noexcept;

}  // namespace icmpgate::log
