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
    : rate_milli_{to_rate_milli(rate_per_second)},
      burst_{std::max(burst, kMinBurst)},
      capacity_{TokenUnits{burst_} * kUnitsPerToken} {}

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
