#pragma once
// What the pipeline counts for every packet of every source: decisions by verdict and reason,
// IP packets by verdict and family, and the anomaly that decided. VerdictCounters is one packet
// thread's (single-writer counters); VerdictCounts is a plain copy of them, which snapshots,
// sums over threads and replay's totals use. The names the outputs print come from the tables
// (verdict::kReasons, decode::kAnomalies, kVerdicts and kFamilies below).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "filter/decode/anomaly.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/family.h"
#include "filter/pipeline/counter.h"
#include "filter/verdict/decision.h"
#include "rules/compiled_policy.h"

namespace icmpgate::pipeline {

struct VerdictName {
    rules::Verdict verdict;
    std::string_view label;    // the metrics' verdict label: "accept"
    std::string_view counted;  // the stats event's and the summaries' key: "accepted"
};
inline constexpr std::size_t kVerdictCount = 2;
inline constexpr std::array<VerdictName, kVerdictCount> kVerdicts{{
    {rules::Verdict::accept, "accept", "accepted"},
    {rules::Verdict::drop, "drop", "dropped"},
}};
static_assert(static_cast<std::size_t>(rules::Verdict::accept) == 0 &&
                  static_cast<std::size_t>(rules::Verdict::drop) == 1,
              "kVerdicts rows follow rules::Verdict");

// IP families, indexed by decode::family_index (the metrics' family label, by_family's keys).
inline constexpr std::size_t kFamilyCount = 2;
inline constexpr std::array<std::string_view, kFamilyCount> kFamilies{"ipv4", "ipv6"};
static_assert(decode::family_index(decode::Family::ipv4) == 0 && decode::family_index(decode::Family::ipv6) == 1);

[[nodiscard]] constexpr std::size_t verdict_index(rules::Verdict v) noexcept {
    return static_cast<std::size_t>(v);
}

struct VerdictCounts {
    std::array<std::array<std::uint64_t, verdict::kReasonCount>, kVerdictCount> by_reason{};
    // IP packets only: a frame without an IP header has no family.
    std::array<std::array<std::uint64_t, kFamilyCount>, kVerdictCount> by_family{};
    std::array<std::uint64_t, decode::kAnomalyCount> by_anomaly{};  // anomalies that decided
    // Monitor mode (Decision::would_be): the would-be outcomes by verdict and reason, and the
    // anomalies that decided them. Every packet under run --monitor; under monitor rules, the
    // packets one of them matched.
    std::array<std::array<std::uint64_t, verdict::kReasonCount>, kVerdictCount> would_be_by_reason{};
    std::array<std::uint64_t, decode::kAnomalyCount> would_be_by_anomaly{};

    [[nodiscard]] std::uint64_t of(rules::Verdict v) const noexcept;
    [[nodiscard]] std::uint64_t would_be(rules::Verdict v) const noexcept;
    [[nodiscard]] std::uint64_t of(verdict::Reason r) const noexcept;
    [[nodiscard]] std::uint64_t of(decode::Anomaly a) const noexcept { return by_anomaly[static_cast<std::size_t>(a)]; }
    [[nodiscard]] std::uint64_t total() const noexcept;
    VerdictCounts& operator+=(const VerdictCounts& other) noexcept;
};

class VerdictCounters {
public:
    // Per packet: two or three relaxed increments (one or two more with a would-be).
    void count(const decode::DecodedPacket& packet, const verdict::Decision& decision) noexcept {
        const std::size_t v = verdict_index(decision.verdict);
        by_reason_[v][static_cast<std::size_t>(decision.reason)].add();
        if (packet.is_ip) by_family_[v][decode::family_index(packet.family)].add();
        if (decision.reason == verdict::Reason::anomaly) by_anomaly_[static_cast<std::size_t>(decision.anomaly)].add();
        if (decision.would_be) [[unlikely]] {
            const verdict::Outcome& would_be = *decision.would_be;
            would_be_by_reason_[verdict_index(would_be.verdict)][static_cast<std::size_t>(would_be.reason)].add();
            if (would_be.reason == verdict::Reason::anomaly)
                would_be_by_anomaly_[static_cast<std::size_t>(would_be.anomaly)].add();
        }
    }

    [[nodiscard]] VerdictCounts snapshot() const noexcept;

private:
    std::array<std::array<Counter, verdict::kReasonCount>, kVerdictCount> by_reason_;
    std::array<std::array<Counter, kFamilyCount>, kVerdictCount> by_family_;
    std::array<Counter, decode::kAnomalyCount> by_anomaly_;
    std::array<std::array<Counter, verdict::kReasonCount>, kVerdictCount> would_be_by_reason_;
    std::array<Counter, decode::kAnomalyCount> would_be_by_anomaly_;
};

}  // namespace icmpgate::pipeline
