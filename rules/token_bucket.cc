#include "rules/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace icmpgate::rules {

namespace {

[[nodiscard]] std::uint64_t to_rate_milli(double rate_per_second) noexcept {
    const double milli = rate_per_second * static_cast<double>(kMilliPerUnit);
    // Also catches NaN: every comparison with it is false.
    if (!(milli >= static_cast<double>(kMinRateMilli))) return kMinRateMilli;
    if (milli >= static_cast<double>(kMaxRateMilli)) return kMaxRateMilli;
    return static_cast<std::uint64_t>(std::llround(milli));
}

}  // namespace

TokenBucketConfig::TokenBucketConfig(double rate_per_second, std::uint32_t burst) noexcept
    : rate_milli_{to_rate_milli(rate_per_second)}, burst_{std::max(burst, kMinBurst)} {}

TokenUnits TokenBucket::units_after(const TokenBucketConfig& config, std::int64_t now_ns) const noexcept {
    if (!has_clock_ || now_ns <= clock_ns_) return units_;
    // now > clock, so the difference fits in 64 unsigned bits even across the whole range.
    const std::uint64_t elapsed_ns = static_cast<std::uint64_t>(now_ns) - static_cast<std::uint64_t>(clock_ns_);
    const TokenUnits capacity = config.capacity();
    const TokenUnits missing = capacity - std::min(units_, capacity);
    // elapsed < 2^64 and rate <= 10^12 < 2^40: the product fits in 128 bits, no overflow.
    const TokenUnits earned = TokenUnits{elapsed_ns} * config.rate_milli();
    return earned >= missing ? capacity : units_ + earned;
}

void TokenBucket::refill(const TokenBucketConfig& config, std::int64_t now_ns) noexcept {
    if (!has_clock_) {
        has_clock_ = true;
        clock_ns_ = now_ns;
        return;
    }
    if (now_ns <= clock_ns_) return;  // out of order: nothing earned, the clock stays
    units_ = units_after(config, now_ns);
    clock_ns_ = now_ns;
}

void TokenBucket::take() noexcept {
    if (has_tokens(1)) units_ -= kUnitsPerToken;
}

bool TokenBucket::try_take(const TokenBucketConfig& config, std::int64_t now_ns) noexcept {
    refill(config, now_ns);
    if (!has_tokens(1)) return false;
    take();
    return true;
}

bool TokenBucket::full_at(const TokenBucketConfig& config, std::int64_t now_ns) const noexcept {
    return units_after(config, now_ns) >= config.capacity();
}

}  // namespace icmpgate::rules
