#include "rules/token_bucket.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>

#include "tests/support/fake_clock.h"

namespace icmpgate::rules {

namespace {

using test::FakeClock;
using test::kNanosPerSecond;

// Takes tokens at one instant until the bucket refuses; returns how many it gave.
std::uint32_t drain(TokenBucket& bucket, const TokenBucketConfig& config, std::int64_t now_ns) {
    std::uint32_t taken = 0;
    while (bucket.try_take(config, now_ns)) ++taken;
    return taken;
}

struct RefillCase {
    double rate;
    std::int64_t interval_ns;  // first instant at which one whole token has been earned
};

std::ostream& operator<<(std::ostream& out, const RefillCase& c) {
    return out << "rate " << c.rate << "/s, one token after " << c.interval_ns << " ns";
}

const RefillCase kRefillCases[] = {
    {10.0, 100'000'000},  {4.0, 250'000'000}, {1000.0, 1'000'000}, {1.0, 1'000'000'000},
    {0.5, 2'000'000'000}, {3.0, 333'333'334},  // 1/3 s is not a whole number of ns: the token is earned on the next one
};

}  // namespace

BOOST_AUTO_TEST_SUITE(token_bucket)

BOOST_AUTO_TEST_CASE(starts_full_with_burst_tokens) {
    const TokenBucketConfig config{1.0, 5};
    const TokenBucket bucket{config};
    BOOST_TEST(bucket.whole_tokens() == 5U);
    BOOST_TEST(!bucket.has_clock());
}

BOOST_AUTO_TEST_CASE(denies_once_burst_is_exhausted_at_one_instant) {
    const TokenBucketConfig config{1.0, 5};
    TokenBucket bucket{config};
    const FakeClock clock;
    BOOST_TEST(drain(bucket, config, clock.now()) == 5U);
    BOOST_TEST(!bucket.try_take(config, clock.now()));
    BOOST_TEST(bucket.whole_tokens() == 0U);
}

BOOST_DATA_TEST_CASE(refills_one_token_exactly_one_over_rate_after_empty, boost::unit_test::data::make(kRefillCases),
                     sample) {
    const TokenBucketConfig config{sample.rate, 1};
    TokenBucket bucket{config};
    FakeClock clock;
    BOOST_TEST_REQUIRE(bucket.try_take(config, clock.now()));
    const std::int64_t emptied = clock.now();

    clock.set(emptied + sample.interval_ns - 1);
    BOOST_TEST(!bucket.try_take(config, clock.now()));
    clock.set(emptied + sample.interval_ns);
    BOOST_TEST(bucket.try_take(config, clock.now()));
    BOOST_TEST(!bucket.try_take(config, clock.now()));
}

BOOST_DATA_TEST_CASE(one_ns_before_the_interval_has_no_token_without_earlier_refills,
                     boost::unit_test::data::make(kRefillCases), sample) {
    const TokenBucketConfig config{sample.rate, 1};
    TokenBucket bucket{config};
    const FakeClock clock;
    BOOST_TEST_REQUIRE(bucket.try_take(config, clock.now()));
    bucket.refill(config, clock.now() + sample.interval_ns - 1);
    BOOST_TEST(bucket.whole_tokens() == 0U);
    BOOST_TEST(!bucket.has_tokens(1));
}

BOOST_AUTO_TEST_CASE(many_small_refills_earn_exactly_what_one_large_refill_earns) {
    // 3 tokens/s: each ns earns 3000 units, a token is 10^12 units; 333'333'334 steps of
    // one ns must earn the token just as one step of 333'333'334 ns does.
    const TokenBucketConfig config{3.0, 1};
    TokenBucket stepped{config};
    FakeClock clock;
    BOOST_TEST_REQUIRE(stepped.try_take(config, clock.now()));
    constexpr std::int64_t kSteps = 1'000;
    constexpr std::int64_t kStepNs = 333'333;  // 1000 steps: 333'333'000 ns, short of a token
    for (std::int64_t i = 0; i < kSteps; ++i) {
        clock.advance_ns(kStepNs);
        stepped.refill(config, clock.now());
    }
    BOOST_TEST(stepped.whole_tokens() == 0U);
    clock.advance_ns(333);  // 333'333'333 ns in all: still 1 unit short
    BOOST_TEST(!stepped.try_take(config, clock.now()));
    clock.advance_ns(1);
    BOOST_TEST(stepped.try_take(config, clock.now()));
}

BOOST_AUTO_TEST_CASE(caps_tokens_at_burst_after_a_long_idle) {
    const TokenBucketConfig config{100.0, 3};
    TokenBucket bucket{config};
    FakeClock clock;
    BOOST_TEST_REQUIRE(drain(bucket, config, clock.now()) == 3U);
    clock.advance_s(60);
    BOOST_TEST(drain(bucket, config, clock.now()) == 3U);
}

BOOST_AUTO_TEST_CASE(fractional_rate_earns_half_a_token_per_second) {
    const TokenBucketConfig config{0.5, 2};
    BOOST_TEST(config.rate_milli() == 500U);
    TokenBucket bucket{config};
    FakeClock clock;
    BOOST_TEST_REQUIRE(drain(bucket, config, clock.now()) == 2U);
    clock.advance_s(1);
    BOOST_TEST(!bucket.try_take(config, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(bucket.try_take(config, clock.now()));
    clock.advance_s(3);  // 1.5 tokens earned
    BOOST_TEST(drain(bucket, config, clock.now()) == 1U);
    clock.advance_s(1);  // the half token left over plus another half
    BOOST_TEST(drain(bucket, config, clock.now()) == 1U);
}

BOOST_AUTO_TEST_CASE(huge_time_gap_fills_the_bucket_without_overflow) {
    const TokenBucketConfig config{1e9, std::numeric_limits<std::uint32_t>::max()};
    TokenBucket bucket{config};
    const std::int64_t earliest = std::numeric_limits<std::int64_t>::min();
    const std::int64_t latest = std::numeric_limits<std::int64_t>::max();
    BOOST_TEST_REQUIRE(bucket.try_take(config, earliest));
    BOOST_TEST(bucket.whole_tokens() == std::numeric_limits<std::uint32_t>::max() - 1U);
    bucket.refill(config, latest);
    BOOST_TEST(bucket.whole_tokens() == std::numeric_limits<std::uint32_t>::max());
    BOOST_TEST(bucket.clock_ns() == latest);
}

BOOST_AUTO_TEST_CASE(slowest_rate_over_the_whole_clock_range_fills_a_small_bucket) {
    const TokenBucketConfig config{0.001, 1};
    TokenBucket bucket{config};
    BOOST_TEST_REQUIRE(bucket.try_take(config, std::numeric_limits<std::int64_t>::min()));
    BOOST_TEST(bucket.try_take(config, std::numeric_limits<std::int64_t>::max()));
}

BOOST_AUTO_TEST_CASE(backwards_time_refills_nothing_and_keeps_the_clock) {
    const TokenBucketConfig config{1.0, 1};
    TokenBucket bucket{config};
    const std::int64_t t10 = 10 * kNanosPerSecond;
    BOOST_TEST_REQUIRE(bucket.try_take(config, t10));
    BOOST_TEST(!bucket.try_take(config, 5 * kNanosPerSecond));
    BOOST_TEST(bucket.clock_ns() == t10);
    // Had the clock moved back to 5 s, 10.5 s would have earned 5.5 tokens.
    BOOST_TEST(!bucket.try_take(config, t10 + kNanosPerSecond / 2));
    BOOST_TEST(bucket.try_take(config, t10 + kNanosPerSecond));
}

BOOST_AUTO_TEST_CASE(full_at_reports_a_refilled_bucket_without_changing_it) {
    const TokenBucketConfig config{1.0, 2};
    TokenBucket bucket{config};
    const FakeClock clock;
    BOOST_TEST_REQUIRE(bucket.try_take(config, clock.now()));
    BOOST_TEST(!bucket.full_at(config, clock.now() + kNanosPerSecond - 1));
    BOOST_TEST(bucket.full_at(config, clock.now() + kNanosPerSecond));
    BOOST_TEST(bucket.whole_tokens() == 1U);
    BOOST_TEST(bucket.clock_ns() == clock.now());
    BOOST_TEST(!bucket.full_at(config, clock.now() - kNanosPerSecond));
}

BOOST_AUTO_TEST_CASE(a_new_bucket_is_full_at_any_time) {
    const TokenBucketConfig config{1.0, 2};
    const TokenBucket bucket{config};
    BOOST_TEST(bucket.full_at(config, std::numeric_limits<std::int64_t>::min()));
}

BOOST_AUTO_TEST_CASE(take_on_an_empty_bucket_stays_empty) {
    const TokenBucketConfig config{1.0, 1};
    TokenBucket bucket{config};
    bucket.take();
    bucket.take();
    BOOST_TEST(bucket.whole_tokens() == 0U);
    bucket.refill(config, 0);
    bucket.refill(config, kNanosPerSecond);
    BOOST_TEST(bucket.whole_tokens() == 1U);
}

BOOST_AUTO_TEST_CASE(degenerate_rates_are_clamped_to_the_slowest_rate) {
    BOOST_TEST(TokenBucketConfig(0.0, 1).rate_milli() == kMinRateMilli);
    BOOST_TEST(TokenBucketConfig(-5.0, 1).rate_milli() == kMinRateMilli);
    BOOST_TEST(TokenBucketConfig(0.0001, 1).rate_milli() == kMinRateMilli);
    BOOST_TEST(TokenBucketConfig(std::nan(""), 1).rate_milli() == kMinRateMilli);
    BOOST_TEST(TokenBucketConfig(1e300, 1).rate_milli() == kMaxRateMilli);
    BOOST_TEST(TokenBucketConfig(2.0004, 1).rate_milli() == 2000U);
    BOOST_TEST(TokenBucketConfig(2.0006, 1).rate_milli() == 2001U);
}

BOOST_AUTO_TEST_CASE(zero_burst_is_clamped_to_one_token) {
    const TokenBucketConfig config{1.0, 0};
    BOOST_TEST(config.burst() == 1U);
    TokenBucket bucket{config};
    BOOST_TEST(drain(bucket, config, 0) == 1U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::rules
