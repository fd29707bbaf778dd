#pragma once
// A counter with a single writer (one packet thread): an increment is a relaxed load and store,
// no locked instruction; other threads read it for summaries, stats events and metrics.

#include <atomic>
#include <cstdint>

namespace icmpgate::pipeline {

class Counter {
public:
    void add(std::uint64_t n = 1) noexcept {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

}  // namespace icmpgate::pipeline
