#pragma once
// EVE's alert.gid, alert.signature_id and alert.rev. A rule's alerts carry the rule's id
// (rules/signature_id.h); every verdict that no rule decided carries a fixed id from the
// tables below, one per reason and one per anomaly, in the block rules/signature_id.h
// reserves (docs/log-format.md, "Signature ids", lists the same table). A published id never
// changes and is never reused: a new anomaly gets the next free id, whatever its precedence.

#include <array>
#include <cstddef>
#include <cstdint>

#include "filter/decode/anomaly.h"
#include "filter/verdict/decision.h"
#include "rules/signature_id.h"

namespace icmpgate::log {

// Suricata's generator id for rule signatures, and the revision of every signature: a policy
// rule has no revisions of its own (icmpgate.policy, the policy digest, names the version).
inline constexpr std::uint32_t kAlertGid = 1;
inline constexpr std::uint32_t kAlertRev = 1;

struct ReasonSignatureId {
    verdict::Reason reason;
    std::uint32_t id;
};
// The reasons no rule decides (reason rule carries the rule's own id). rate-limit names its rule
// in alert.signature ("rate-limit:<rule id>") and icmpgate.rule; its id is the reason's.
inline constexpr std::array<ReasonSignatureId, 5> kReasonSignatureIds{{
    {verdict::Reason::not_icmp, 2'000'000'001},
    {verdict::Reason::default_verdict, 2'000'000'002},
    {verdict::Reason::protected_type, 2'000'000'003},
    {verdict::Reason::rate_limit, 2'000'000'004},
    {verdict::Reason::monitor, 2'000'000'005},
}};

struct AnomalySignatureId {
    decode::Anomaly anomaly;
    std::uint32_t id;
};
// Reason anomaly:<name>, one id per anomaly.
inline constexpr std::array<AnomalySignatureId, decode::kAnomalyCount> kAnomalySignatureIds{{
    {decode::Anomaly::truncated, 2'000'000'101},
    {decode::Anomaly::bad_checksum, 2'000'000'102},
    {decode::Anomaly::error_about_error, 2'000'000'103},
    {decode::Anomaly::bad_embedded, 2'000'000'104},
    {decode::Anomaly::embedded_mismatch, 2'000'000'105},
    {decode::Anomaly::implausible_mtu, 2'000'000'106},
    {decode::Anomaly::quoted_fragment, 2'000'000'107},
    {decode::Anomaly::quoted_multicast, 2'000'000'108},
    {decode::Anomaly::fragment, 2'000'000'109},
    {decode::Anomaly::wrong_family, 2'000'000'110},
    {decode::Anomaly::bad_hop_limit, 2'000'000'111},
    {decode::Anomaly::oversized_error, 2'000'000'112},
    {decode::Anomaly::quoted_bad_source, 2'000'000'113},
    {decode::Anomaly::bad_extension, 2'000'000'114},
    {decode::Anomaly::unknown_type, 2'000'000'115},
    {decode::Anomaly::too_many_extension_headers, 2'000'000'116},
}};

namespace detail {
// kAnomalySignatureIds indexed by the enum (the rows may be in any order).
constexpr std::array<std::uint32_t, decode::kAnomalyCount> anomaly_ids_by_enum() noexcept {
    std::array<std::uint32_t, decode::kAnomalyCount> ids{};
    for (const AnomalySignatureId& row : kAnomalySignatureIds) ids[static_cast<std::size_t>(row.anomaly)] = row.id;
    return ids;
}
inline constexpr std::array<std::uint32_t, decode::kAnomalyCount> kAnomalyIdsByEnum = anomaly_ids_by_enum();

// kReasonSignatureIds indexed by the enum; 0 for rule and anomaly.
constexpr std::array<std::uint32_t, verdict::kReasonCount> reason_ids_by_enum() noexcept {
    std::array<std::uint32_t, verdict::kReasonCount> ids{};
    for (const ReasonSignatureId& row : kReasonSignatureIds) ids[static_cast<std::size_t>(row.reason)] = row.id;
    return ids;
}
inline constexpr std::array<std::uint32_t, verdict::kReasonCount> kReasonIdsByEnum = reason_ids_by_enum();

constexpr bool builtin_ids_are_unique_reserved_and_complete() noexcept {
    std::array<std::uint32_t, kReasonSignatureIds.size() + kAnomalySignatureIds.size()> all{};
    std::size_t n = 0;
    for (const ReasonSignatureId& row : kReasonSignatureIds) {
        if (row.reason == verdict::Reason::rule || row.reason == verdict::Reason::anomaly) return false;
        all[n++] = row.id;
    }
    for (const std::uint32_t id : kAnomalyIdsByEnum) all[n++] = id;  // 0 for an anomaly without a row
    for (std::size_t i = 0; i < n; ++i) {
        if (!rules::is_builtin_signature_id(all[i])) return false;
        for (std::size_t j = i + 1; j < n; ++j)
            if (all[i] == all[j]) return false;
    }
    for (std::size_t i = 0; i < kReasonSignatureIds.size(); ++i)
        for (std::size_t j = i + 1; j < kReasonSignatureIds.size(); ++j)
            if (kReasonSignatureIds[i].reason == kReasonSignatureIds[j].reason) return false;
    return true;
}
static_assert(builtin_ids_are_unique_reserved_and_complete(),
              "every anomaly and non-rule reason needs its own id in the reserved block");
}  // namespace detail

// The fixed id of a verdict no rule decided (any reason but rule, for which it is 0).
[[nodiscard]] constexpr std::uint32_t builtin_signature_id(const verdict::Decision& decision) noexcept {
    if (decision.reason == verdict::Reason::anomaly)
        return detail::kAnomalyIdsByEnum[static_cast<std::size_t>(decision.anomaly)];
    return detail::kReasonIdsByEnum[static_cast<std::size_t>(decision.reason)];
}

}  // namespace icmpgate::log
