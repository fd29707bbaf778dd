#include "filter/metrics/kernel_queue_stats.h"

#include <boost/test/unit_test.hpp>

namespace icmpgate::metrics {
namespace {

// Two bound queues, as net/netfilter/nfnetlink_queue.c prints them.
constexpr std::string_view kProcText =
    "    0  12345     3 2 65535     7    19 4242  1\n"
    "    2  12346     0 2 65535     0     1 17  1\n";

BOOST_AUTO_TEST_SUITE(kernel_queue_stats)

BOOST_AUTO_TEST_CASE(counters_of_the_asked_queue_are_returned) {
    const auto q = parse_kernel_queue_stats(kProcText, 0);
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(q->queue == 0);
    BOOST_TEST(q->waiting == 3U);
    BOOST_TEST(q->queue_dropped == 7U);
    BOOST_TEST(q->user_dropped == 19U);
    const auto q2 = parse_kernel_queue_stats(kProcText, 2);
    BOOST_REQUIRE(q2.has_value());
    BOOST_TEST(q2->user_dropped == 1U);
}

BOOST_AUTO_TEST_CASE(unbound_queue_has_no_counters) {
    BOOST_TEST(!parse_kernel_queue_stats(kProcText, 1).has_value());
    BOOST_TEST(!parse_kernel_queue_stats("", 0).has_value());
    BOOST_TEST(!parse_kernel_queue_stats("garbage line\n", 0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::metrics
