#include "filter/log/log_suppressor.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace icmpgate::log {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 5 * kSecond;
const SuppressionKey kEcho{3, verdict::Reason::rule, decode::Anomaly::truncated};
const SuppressionKey kLimited{3, verdict::Reason::rate_limit, decode::Anomaly::truncated};

BOOST_AUTO_TEST_SUITE(log_suppressor)

BOOST_AUTO_TEST_CASE(limit_per_key_per_window_then_one_summary) {
    LogSuppressor s{3};
    SuppressionSummary ended;
    int allowed = 0;
    for (int i = 0; i < 10; ++i) allowed += s.allow(kEcho, kT0 + i, &ended) ? 1 : 0;
    BOOST_TEST(allowed == 3);
    BOOST_TEST(s.allow(kLimited, kT0, &ended));  // another reason of the same rule: its own budget
    BOOST_TEST(ended.suppressed == 0U);
    // The next window opens with the first line after it; that call receives the summary.
    BOOST_TEST(s.allow(kEcho, kT0 + kSecond, &ended));
    BOOST_TEST(ended.suppressed == 7U);
    BOOST_TEST((ended.key == kEcho));
    SuppressionSummary again;
    BOOST_TEST(s.allow(kEcho, kT0 + kSecond + 1, &again));
    BOOST_TEST(again.suppressed == 0U);
}

BOOST_AUTO_TEST_CASE(collect_ended_reports_a_flood_that_stopped_once) {
    LogSuppressor s{1};
    for (int i = 0; i < 5; ++i) (void)s.allow(kEcho, kT0, nullptr);
    int summaries = 0;
    std::uint64_t lost = 0;
    auto emit = [&](const SuppressionSummary& summary) {
        ++summaries;
        lost += summary.suppressed;
    };
    s.collect_ended(kT0 + kSecond / 2, emit);  // window still open
    BOOST_TEST(summaries == 0);
    s.collect_ended(kT0 + kSecond, emit);
    s.collect_ended(kT0 + 2 * kSecond, emit);
    BOOST_TEST(summaries == 1);
    BOOST_TEST(lost == 4U);
}

BOOST_AUTO_TEST_CASE(zero_is_unlimited) {
    LogSuppressor s{0};
    for (int i = 0; i < 1000; ++i) BOOST_TEST_REQUIRE(s.allow(kEcho, kT0, nullptr));
}

// --log-rate is one budget per (rule, reason) for every queue thread together: two threads
// logging the same key in one window get `limit` lines between them, not `limit` each, and
// every other line is in exactly one summary.
BOOST_AUTO_TEST_CASE(two_threads_share_one_budget) {
    constexpr std::uint32_t kLimit = 200;
    constexpr int kPerThread = 50'000;
    LogSuppressor s{kLimit};
    std::atomic<std::uint64_t> allowed{0};
    std::atomic<std::uint64_t> summarised{0};
    std::atomic<bool> go{false};
    auto worker = [&] {
        while (!go.load()) {
        }
        std::uint64_t mine = 0;
        for (int i = 0; i < kPerThread; ++i) {
            SuppressionSummary ended;
            if (s.allow(kEcho, kT0 + i, &ended)) ++mine;  // all within one second
            summarised += ended.suppressed;
        }
        allowed += mine;
    };
    std::thread a{worker};
    std::thread b{worker};
    go.store(true);
    a.join();
    b.join();
    BOOST_TEST(allowed.load() == kLimit);
    s.collect_ended(kT0 + 2 * kSecond, [&](const SuppressionSummary& summary) { summarised += summary.suppressed; });
    BOOST_TEST(summarised.load() == 2U * kPerThread - kLimit);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::log
