#include "filter/capture/capture_queue.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace icmpgate::capture {
namespace {

QueuedPacket packet_of(const std::vector<std::uint8_t>& data, std::string_view comment, std::int64_t time_ns) {
    QueuedPacket p;
    p.time_ns = time_ns;
    p.comment = comment;
    p.data = decode::Bytes{data};
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_queue)

BOOST_AUTO_TEST_CASE(a_record_comes_out_as_it_went_in) {
    CaptureQueue q{0};
    const std::vector<std::uint8_t> data{0x45, 1, 2, 3, 4, 5, 6};
    QueuedPacket in = packet_of(data, "icmpgate: verdict=drop", 42);
    in.original_length = 1500;
    BOOST_TEST(q.push(in));
    QueuedPacket out;
    BOOST_TEST(q.front(out));
    BOOST_TEST(out.time_ns == 42);
    BOOST_TEST(out.original_length == 1500U);
    BOOST_TEST(out.comment == "icmpgate: verdict=drop");
    BOOST_TEST(std::vector<std::uint8_t>(out.data.begin(), out.data.end()) == data, boost::test_tools::per_element());
    q.pop();
    BOOST_TEST(!q.front(out));
    BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(the_original_length_is_at_least_the_captured_length) {
    CaptureQueue q{0};
    const std::vector<std::uint8_t> data(100, 0x45);
    BOOST_TEST(q.push(packet_of(data, "", 0)));  // 0: not cut
    QueuedPacket out;
    BOOST_TEST(q.front(out));
    BOOST_TEST(out.original_length == 100U);
}

BOOST_AUTO_TEST_CASE(a_full_queue_refuses_and_counts_and_takes_again_once_drained) {
    CaptureQueue q{CaptureQueue::kMinCapacity};
    const std::vector<std::uint8_t> data(1000, 0x45);
    // Record: 24-byte header + 1000 bytes = 1024: 256 fit in 256 KiB, exactly.
    std::size_t taken = 0;
    while (q.push(packet_of(data, "", 0))) ++taken;
    BOOST_TEST(taken == 256U);
    BOOST_TEST(q.refused() == 1U);
    BOOST_TEST(!q.push(packet_of(data, "", 0)));
    BOOST_TEST(q.refused() == 2U);
    QueuedPacket out;
    BOOST_TEST(q.front(out));
    q.pop();
    BOOST_TEST(q.push(packet_of(data, "", 0)));  // room for one again
    BOOST_TEST(q.refused() == 2U);
}

BOOST_AUTO_TEST_CASE(records_wrap_around_the_ring_in_order) {
    CaptureQueue q{CaptureQueue::kMinCapacity};
    const std::vector<std::uint8_t> big(60000, 0x45);
    // Three records of ~60 KiB, then keep cycling: the fifth cannot fit before the end and wraps.
    std::int64_t next_in = 0;
    std::int64_t next_out = 0;
    for (int round = 0; round < 20; ++round) {
        while (q.push(packet_of(big, "x", next_in))) ++next_in;
        QueuedPacket out;
        BOOST_TEST_REQUIRE(q.front(out));
        BOOST_TEST(out.time_ns == next_out);
        BOOST_TEST(out.data.size() == big.size());
        BOOST_TEST(out.comment == "x");
        q.pop();
        ++next_out;
    }
    QueuedPacket out;
    while (q.front(out)) {
        BOOST_TEST(out.time_ns == next_out);
        q.pop();
        ++next_out;
    }
    BOOST_TEST(next_out == next_in);
    BOOST_TEST(next_in > 20);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::capture
