#pragma once
// Counters of one queue thread. Each has a single writer (its thread), so an increment is
// a relaxed load + store (no locked instruction); other threads read them for summaries.

#include <array>
#include <atomic>
#include <cstdint>

#include "filter/decode/anomaly.h"
#include "filter/verdict/decision.h"

namespace icmpgate::nfq {

class Counter {
public:
    void add(std::uint64_t n = 1) noexcept { value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

struct QueueCounters {
    Counter received;             // packet messages from the kernel
    Counter accepted;
    Counter dropped;
    Counter enobufs;              // the kernel could not deliver to us (socket buffer full)
    Counter malformed;            // messages we could not parse (no id: no verdict possible)
    Counter verdict_send_errors;  // verdict sends that failed
    Counter log_lines_suppressed;
    Counter log_lines_refused;    // the log writer's queue was full
    std::array<Counter, verdict::kReasonCount> by_reason;
    std::array<Counter, verdict::kReasonCount> accepted_by_reason;  // by_reason split by verdict (metrics)
    std::array<Counter, verdict::kReasonCount> dropped_by_reason;
    std::array<Counter, decode::kAnomalyCount> by_anomaly;  // anomalies that decided
    // IP packets by family (0 IPv4, 1 IPv6) and verdict (metrics' family label).
    std::array<Counter, 2> accepted_by_family;
    std::array<Counter, 2> dropped_by_family;
};

}  // namespace icmpgate::nfq
