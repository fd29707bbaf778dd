#include "filter/log/log_suppressor.h"

#include <algorithm>
#include <cstring>

#include "filter/log/icmpgate_event.h"

namespace icmpgate::log {

LogSuppressor::LogSuppressor(std::uint32_t lines_per_second) noexcept
    : limit_{std::min<std::uint64_t>(lines_per_second, kLineMask)} {}

std::uint64_t LogSuppressor::pack(const SuppressionKey& key) noexcept {
    // Bit 48 marks a used slot, so no key packs to 0 (a free slot).
    return (std::uint64_t{1} << 48U) | (std::uint64_t{key.rule} << 16U) |
           (std::uint64_t{static_cast<std::uint8_t>(key.reason)} << 8U) | static_cast<std::uint8_t>(key.anomaly);
}

SuppressionKey LogSuppressor::unpack(std::uint64_t packed) noexcept {
    return SuppressionKey{static_cast<std::uint32_t>(packed >> 16U),
                          static_cast<verdict::Reason>(static_cast<std::uint8_t>(packed >> 8U)),
                          static_cast<decode::Anomaly>(static_cast<std::uint8_t>(packed))};
}

LogSuppressor::Slot& LogSuppressor::slot_for(std::uint64_t packed) noexcept {
    const std::size_t home = static_cast<std::size_t>((packed * 0x9E3779B97F4A7C15ULL) >> 32U) % kSlots;
    for (std::size_t i = 0; i < kProbes; ++i) {
        Slot& s = slots_[(home + i) % kSlots];
        std::uint64_t owner = s.key.load(std::memory_order_relaxed);
        if (owner == packed) return s;
        if (owner == 0 && (s.key.compare_exchange_strong(owner, packed, std::memory_order_relaxed) || owner == packed))
            return s;
    }
    return slots_[home];  // every probe taken by other keys: share the home slot
}

bool LogSuppressor::allow(const SuppressionKey& key, std::int64_t now_ns, SuppressionSummary* ended) noexcept {
    if (limit_ == 0) return true;
    Slot& s = slot_for(pack(key));
    const std::uint64_t now_ms = to_ms(now_ns);
    std::uint64_t state = s.state.load(std::memory_order_relaxed);
    for (;;) {
        const std::uint64_t start_ms = state >> kLineBits;
        if (state == 0 || now_ms >= start_ms + kWindowMs) {
            // This caller opens the next window, and reports the one that ended.
            if (!s.state.compare_exchange_weak(state, (now_ms << kLineBits) | 1U, std::memory_order_relaxed)) continue;
            const std::uint64_t lost = s.suppressed.exchange(0, std::memory_order_relaxed);
            if (lost > 0) {
                pending_.fetch_sub(1, std::memory_order_relaxed);
                if (ended != nullptr)
                    *ended = {unpack(s.key.load(std::memory_order_relaxed)), lost,
                              static_cast<std::int64_t>(start_ms) * kNsPerMs};
            }
            return true;
        }
        if ((state & kLineMask) < limit_) {
            if (s.state.compare_exchange_weak(state, state + 1, std::memory_order_relaxed)) return true;
            continue;
        }
        if (s.suppressed.fetch_add(1, std::memory_order_relaxed) == 0) pending_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
}

std::size_t format_suppression_summary(const SuppressionSummary& summary, std::string_view rule_id,
                                       std::int64_t wall_ns, std::span<char> out) noexcept {
    verdict::Decision reason;
    reason.reason = summary.key.reason;
    reason.anomaly = summary.key.anomaly;
    FixedLine<kLogSuppressedLineMax> line;
    line.write([&](Out<0> start) { return write_log_suppressed(start, wall_ns, rule_id, reason, summary.suppressed); });
    if (line.size() > out.size()) return 0;
    std::memcpy(out.data(), line.data(), line.size());
    return line.size();
}

}  // namespace icmpgate::log
