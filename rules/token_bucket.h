#pragma once
// One token bucket (RFC 4443 2.4(f), RFC 1812 4.3.2.8): it starts full, refills at `rate`
// tokens per second up to `burst`, and a packet passes when it can take a whole token.
//
// Time is an input (nanoseconds from any monotonic origin), so replay and tests are exact.
// All arithmetic is integer: a token is kUnitsPerToken units, and one nanosecond at a
// rate of R tokens/s adds R * 1000 units (the rate kept in milli-tokens per second), so
// refilling in many small steps gives exactly what one large step gives.
// Time going backwards (an out-of-order capture) refills nothing and does not move the
// bucket's clock back.
//
// The parameters shared by every bucket of one limiter (TokenBucketConfig) are kept apart
// from the per-bucket state (TokenBucket), so a table of thousands of buckets stores each
// parameter once.

#include <algorithm>
#include <cstdint>

namespace icmpgate::rules {

// 128-bit arithmetic keeps every product exact: at most 2^64 ns times a rate below 2^40
// units/ns, and a capacity below 2^32 tokens times 10^12 units.
__extension__ using TokenUnits = unsigned __int128;

inline constexpr std::uint64_t kNanosecondsPerSecond = 1'000'000'000;
inline constexpr std::uint64_t kMilliPerUnit = 1'000;
// Units per token: a rate in milli-tokens/s added once per nanosecond needs 10^9 * 10^3.
inline constexpr std::uint64_t kUnitsPerToken = kNanosecondsPerSecond * kMilliPerUnit;
// Rates are rounded to milli-tokens per second and clamped into [0.001, 10^9] tokens/s:
// a rate that rounds to nothing still refills (never divide by, or stall on, zero).
inline constexpr std::uint64_t kMinRateMilli = 1;
inline constexpr std::uint64_t kMaxRateMilli = kNanosecondsPerSecond * kMilliPerUnit;
inline constexpr std::uint32_t kMinBurst = 1;

class TokenBucketConfig {
public:
    // rate in tokens per second (> 0 and burst >= 1 are validated by the policy loader;
    // degenerate values are clamped here anyway).
    TokenBucketConfig(double rate_per_second, std::uint32_t burst) noexcept;

    [[nodiscard]] std::uint64_t rate_milli() const noexcept { return rate_milli_; }
    [[nodiscard]] std::uint32_t burst() const noexcept { return burst_; }
    [[nodiscard]] TokenUnits capacity() const noexcept { return capacity_; }

private:
    std::uint64_t rate_milli_;  // units added per nanosecond
    std::uint32_t burst_;
    TokenUnits capacity_;  // burst_ tokens in units, kept: every refill compares against it
};

class TokenBucket {
public:
    // A new bucket is full and has no clock yet: the first refill only sets the clock.
    explicit TokenBucket(const TokenBucketConfig& config) noexcept : units_{config.capacity()} {}

    // Adds what the time since the last refill earned, capped at the burst. Inline: it runs
    // for every rate-limited packet.
    void refill(const TokenBucketConfig& config, std::int64_t now_ns) noexcept {
        if (!has_clock_) {
            has_clock_ = true;
            clock_ns_ = now_ns;
            return;
        }
        if (now_ns <= clock_ns_) return;  // out of order: nothing earned, the clock stays
        units_ = units_after(config, now_ns);
        clock_ns_ = now_ns;
    }
    [[nodiscard]] bool has_tokens(std::uint64_t count) const noexcept {
        return units_ >= TokenUnits{count} * kUnitsPerToken;
    }
    // Takes one token if there is one; never goes below empty. Inline: every passing
    // rate-limited packet takes one per limiter.
    void take() noexcept {
        if (has_tokens(1)) units_ -= kUnitsPerToken;
    }
    // Undoes a take() made since the last refill (an all-or-nothing take that failed later).
    void give_back() noexcept { units_ += kUnitsPerToken; }
    // refill, then take one token when there is one. True when it took one.
    [[nodiscard]] bool try_take(const TokenBucketConfig& config, std::int64_t now_ns) noexcept;

    // Whether the bucket would be full after a refill to now_ns (read-only).
    [[nodiscard]] bool full_at(const TokenBucketConfig& config, std::int64_t now_ns) const noexcept;

    [[nodiscard]] std::uint64_t whole_tokens() const noexcept {
        return static_cast<std::uint64_t>(units_ / kUnitsPerToken);
    }
    // The bucket's clock: the latest time it was refilled to (absent before the first refill).
    [[nodiscard]] bool has_clock() const noexcept { return has_clock_; }
    [[nodiscard]] std::int64_t clock_ns() const noexcept { return clock_ns_; }

private:
    [[nodiscard]] TokenUnits units_after(const TokenBucketConfig& config, std::int64_t now_ns) const noexcept {
        if (!has_clock_ || now_ns <= clock_ns_) return units_;
        // now > clock, so the difference fits in 64 unsigned bits even across the whole range.
        const std::uint64_t elapsed_ns = static_cast<std::uint64_t>(now_ns) - static_cast<std::uint64_t>(clock_ns_);
        const TokenUnits capacity = config.capacity();
        const TokenUnits missing = capacity - std::min(units_, capacity);
        // elapsed < 2^64 and rate <= 10^12 < 2^40: the product fits in 128 bits, no overflow.
        const TokenUnits earned = TokenUnits{elapsed_ns} * config.rate_milli();
        return earned >= missing ? capacity : units_ + earned;
    }

    TokenUnits units_;
    std::int64_t clock_ns_{0};
    bool has_clock_{false};
};

}  // namespace icmpgate::rules
