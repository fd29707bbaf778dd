#pragma once
// Log volume control for floods: at most `lines_per_second` verdict lines per (rule,
// reason) key in each one-second window; the rest are suppressed and counted, and when
// the window ends one summary says how many lines that key lost. Time is an input; the
// table is fixed-size (keys beyond it share a slot, which only makes suppression coarser).

#include <array>
#include <cstdint>
#include <string_view>

#include "filter/verdict/decision.h"

namespace icmpgate::log {

struct SuppressionKey {
    std::uint32_t rule{UINT32_MAX};       // rule index, UINT32_MAX when no rule decided
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
    // 0 lines_per_second turns suppression off.
    explicit LogSuppressor(std::uint32_t lines_per_second) noexcept : limit_{lines_per_second} {}

    // True when a line for this key may be written at `now_ns`. When the key's previous
    // window ended with suppressed lines, *ended receives its summary (write it first).
    [[nodiscard]] bool allow(const SuppressionKey& key, std::int64_t now_ns, SuppressionSummary* ended) noexcept;

    // Summaries of windows that ended by `now_ns` (call now and then, so a flood that
    // stopped still gets its summary). Calls emit(summary) for each; clears them.
    template <typename Emit>
    void collect_ended(std::int64_t now_ns, Emit&& emit) {
        for (Slot& s : slots_)
            if (s.used && s.suppressed > 0 && now_ns - s.window_start_ns >= kWindowNs) {
                emit(SuppressionSummary{s.key, s.suppressed, s.window_start_ns});
                s.suppressed = 0;
            }
    }

    [[nodiscard]] std::uint64_t total_suppressed() const noexcept { return total_suppressed_; }

    static constexpr std::int64_t kWindowNs = 1'000'000'000;

private:
    struct Slot {
        SuppressionKey key;
        bool used{false};
        std::int64_t window_start_ns{0};
        std::uint32_t lines{0};
        std::uint64_t suppressed{0};
    };
    static constexpr std::size_t kSlots = 1024;

    std::uint32_t limit_;
    std::uint64_t total_suppressed_{0};
    std::array<Slot, kSlots> slots_{};
};

// The log_suppressed event (icmpgate_event.h): {"timestamp":...,"event_type":"icmpgate",
// "icmpgate":{"log_version":2,"event":"log_suppressed","rule":...,"reason":...,"lines_suppressed":N}}
// into `out`; returns the length (no newline).
std::size_t format_suppression_summary(const SuppressionSummary& summary, std::string_view rule_id,
                                       std::int64_t wall_ns, std::span<char> out) noexcept;

}  // namespace icmpgate::log
