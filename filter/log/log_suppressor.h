#pragma once
// Log volume control for floods: at most `lines_per_second` verdict lines per (rule, reason)
// key in each one-second window, over all queue threads together (one budget, shared); the
// rest are suppressed and counted, and when the window ends one summary says how many lines
// that key lost. Time is an input. The table is fixed-size; a key that finds no free slot among
// its probes shares one with another key (suppression only gets coarser, and its summary names
// the slot's first key). Lock-free: each key's window and line count are one 64-bit atomic
// word updated by compare-and-swap, so the queue threads never wait for one another.

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>

#include "filter/verdict/decision.h"

namespace icmpgate::log {

struct SuppressionKey {
    std::uint32_t rule{UINT32_MAX};  // rule index, UINT32_MAX when no rule decided
    verdict::Reason reason{verdict::Reason::not_icmp};
    decode::Anomaly anomaly{decode::Anomaly::truncated};  // meaningful for Reason::anomaly
    friend constexpr bool operator==(const SuppressionKey&, const SuppressionKey&) noexcept = default;
};

struct SuppressionSummary {
    SuppressionKey key;
    std::uint64_t suppressed{0};
    std::int64_t window_start_ns{0};
};

class LogSuppressor {
public:
    // 0 lines_per_second turns suppression off. Budgets above 2^24 - 1 lines a second are capped there.
    explicit LogSuppressor(std::uint32_t lines_per_second) noexcept;

    // True when a line for this key may be written at `now_ns` (a monotonic clock, the same for
    // every caller). When the key's previous window ended with suppressed lines, *ended receives
    // its summary (write it first); exactly one caller receives each summary.
    [[nodiscard]] bool allow(const SuppressionKey& key, std::int64_t now_ns, SuppressionSummary* ended) noexcept;

    // Summaries of windows that ended by `now_ns` (call now and then, so a flood that
    // stopped still gets its summary). Calls emit(summary) for each; each is emitted once.
    // Costs one relaxed load while no window has suppressed lines.
    template <typename Emit>
    void collect_ended(std::int64_t now_ns, Emit&& emit) {
        if (pending_.load(std::memory_order_relaxed) == 0) return;
        const std::uint64_t now_ms = to_ms(now_ns);
        for (Slot& s : slots_) {
            const std::uint64_t key = s.key.load(std::memory_order_relaxed);
            if (key == 0 || s.suppressed.load(std::memory_order_relaxed) == 0) continue;
            const std::uint64_t start_ms = s.state.load(std::memory_order_relaxed) >> kLineBits;
            if (now_ms < start_ms + kWindowMs) continue;
            const std::uint64_t n = s.suppressed.exchange(0, std::memory_order_relaxed);
            if (n == 0) continue;  // another thread took it
            pending_.fetch_sub(1, std::memory_order_relaxed);
            emit(SuppressionSummary{unpack(key), n, static_cast<std::int64_t>(start_ms) * kNsPerMs});
        }
    }

    static constexpr std::int64_t kWindowNs = 1'000'000'000;

private:
    static constexpr std::int64_t kNsPerMs = 1'000'000;
    static constexpr std::uint64_t kWindowMs = kWindowNs / kNsPerMs;
    // state = window start (monotonic milliseconds, 40 bits: 34 years) << 24 | lines (24 bits).
    static constexpr unsigned kLineBits = 24;
    static constexpr std::uint64_t kLineMask = (std::uint64_t{1} << kLineBits) - 1;
    static constexpr std::size_t kSlots = 1024;
    static constexpr std::size_t kProbes = 4;

    struct Slot {
        std::atomic<std::uint64_t> key{0};    // pack(key), 0 = free
        std::atomic<std::uint64_t> state{0};  // 0 = no window yet
        std::atomic<std::uint64_t> suppressed{0};
    };

    static std::uint64_t to_ms(std::int64_t ns) noexcept {
        return ns > 0 ? static_cast<std::uint64_t>(ns / kNsPerMs) : 0;
    }
    static std::uint64_t pack(const SuppressionKey& key) noexcept;
    static SuppressionKey unpack(std::uint64_t packed) noexcept;
    Slot& slot_for(std::uint64_t packed) noexcept;

    std::uint64_t limit_;
    std::atomic<std::uint64_t> pending_{0};  // slots whose `suppressed` is not 0
    std::array<Slot, kSlots> slots_{};
};

// The log_suppressed event (icmpgate_event.h): {"timestamp":...,"event_type":"icmpgate",
// "icmpgate":{"log_version":2,"event":"log_suppressed","rule":...,"reason":...,"lines_suppressed":N}}
// (icmpgate_event.h, write_log_suppressed) copied into `out`; returns its length (no newline), 0
// when `out` cannot hold it (kLogSuppressedLineMax always can).
std::size_t format_suppression_summary(const SuppressionSummary& summary, std::string_view rule_id,
                                       std::int64_t wall_ns, std::span<char> out) noexcept;

}  // namespace icmpgate::log
