#include "filter/pipeline/verdict_counters.h"

namespace icmpgate::pipeline {

std::uint64_t VerdictCounts::of(rules::Verdict v) const noexcept {
    std::uint64_t n = 0;
    for (const std::uint64_t c : by_reason[verdict_index(v)]) n += c;
    return n;
}

std::uint64_t VerdictCounts::would_be(rules::Verdict v) const noexcept {
    std::uint64_t n = 0;
    for (const std::uint64_t c : would_be_by_reason[verdict_index(v)]) n += c;
    return n;
}

std::uint64_t VerdictCounts::of(verdict::Reason r) const noexcept {
    std::uint64_t n = 0;
    for (const auto& per_reason : by_reason) n += per_reason[static_cast<std::size_t>(r)];
    return n;
}

std::uint64_t VerdictCounts::total() const noexcept {
    return of(rules::Verdict::accept) + of(rules::Verdict::drop);
}

VerdictCounts& VerdictCounts::operator+=(const VerdictCounts& other) noexcept {
    for (std::size_t v = 0; v < kVerdictCount; ++v) {
        for (std::size_t r = 0; r < verdict::kReasonCount; ++r) {
            by_reason[v][r] += other.by_reason[v][r];
            would_be_by_reason[v][r] += other.would_be_by_reason[v][r];
        }
        for (std::size_t f = 0; f < kFamilyCount; ++f) by_family[v][f] += other.by_family[v][f];
    }
    for (std::size_t a = 0; a < decode::kAnomalyCount; ++a) {
        by_anomaly[a] += other.by_anomaly[a];
        would_be_by_anomaly[a] += other.would_be_by_anomaly[a];
    }
    return *this;
}

VerdictCounts VerdictCounters::snapshot() const noexcept {
    VerdictCounts s;
    for (std::size_t v = 0; v < kVerdictCount; ++v) {
        for (std::size_t r = 0; r < verdict::kReasonCount; ++r) {
            s.by_reason[v][r] = by_reason_[v][r].get();
            s.would_be_by_reason[v][r] = would_be_by_reason_[v][r].get();
        }
        for (std::size_t f = 0; f < kFamilyCount; ++f) s.by_family[v][f] = by_family_[v][f].get();
    }
    for (std::size_t a = 0; a < decode::kAnomalyCount; ++a) {
        s.by_anomaly[a] = by_anomaly_[a].get();
        s.would_be_by_anomaly[a] = would_be_by_anomaly_[a].get();
    }
    return s;
}

}  // namespace icmpgate::pipeline
