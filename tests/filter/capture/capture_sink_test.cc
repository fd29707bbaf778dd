#include "filter/capture/capture_sink.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "filter/capture/capture_writer.h"
#include "filter/pipeline/pipeline.h"
#include "tests/filter/pipeline/pipeline_fixture.h"

namespace icmpgate::capture {
namespace {

using pipeline::test::echo_from;

constexpr std::int64_t kWall = 1'764'065'700'000'000'000;
std::int64_t wall_clock() noexcept {
    return kWall;
}

pipeline::PacketInput input_of(const std::vector<std::uint8_t>& bytes, std::uint32_t packet_id) {
    pipeline::PacketInput input;
    input.l3 = decode::Bytes{bytes};
    input.meta.now_ns = 5'000;
    input.meta.in_interface = decode::InterfaceName::from("c-gw");
    input.meta.out_interface = decode::InterfaceName::from("gw-r2");
    input.origin.queue = log::QueueContext{3, packet_id};
    return input;
}

// The pipeline of one queue thread with a capture sink; the writer is never started: the test
// reads the queue itself.
struct Fixture {
    explicit Fixture(CaptureSelection selection, std::size_t queue_bytes = 0,
                     pipeline::Enforcement enforcement = pipeline::Enforcement::enforce)
        : pipe{counters, enforcement},
          writer{CaptureWriterOptions{{"/nonexistent", 1, 1}, "icmpgate", "", nullptr}},
          queue{writer.add_queue(queue_bytes)},
          sink{queue, writer, CaptureSinkOptions{selection, wall_clock}} {
        pipe.add_sink(sink);
    }
    pipeline::ActivePolicy active{pipeline::test::compiled_policy(), 0};
    pipeline::VerdictCounters counters;
    pipeline::Pipeline pipe;
    CaptureWriter writer;
    CaptureQueue& queue;
    CaptureSink sink;

    std::vector<std::string> comments() {
        std::vector<std::string> out;
        QueuedPacket p;
        while (queue.front(p)) {
            out.emplace_back(p.comment);
            queue.pop();
        }
        return out;
    }
};

const std::string kDigest = pipeline::test::compiled_policy()->digest;

// An echo request of 1,000 bytes that the test policy drops.
std::vector<std::uint8_t> thousand_byte_drop() {
    return icmpgate::test::PacketBuilder::ipv4("203.0.113.9", "198.51.100.1")
        .echo_request(7, 1)
        .payload_zeros(972)
        .build();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_sink)

BOOST_AUTO_TEST_CASE(only_drops_are_captured_by_default_with_what_their_record_says) {
    Fixture f{CaptureSelection::drop};
    const auto accepted = echo_from("192.0.2.1");
    const auto quiet = echo_from("203.0.113.1");  // dropped by "quiet-drop", which does not log
    const auto bad = pipeline::test::bad_checksum_echo();
    f.pipe.begin_batch(f.active, 5'000);
    (void)f.pipe.process(input_of(accepted, 1));
    (void)f.pipe.process(input_of(quiet, 2));
    (void)f.pipe.process(input_of(bad, 3));
    f.pipe.end_batch();
    const std::vector<std::string> expected{
        "icmpgate: verdict=drop reason=rule rule=quiet-drop limiter=- in=c-gw out=gw-r2 queue=3 packet_id=2 policy=" +
            kDigest,
        "icmpgate: verdict=drop reason=anomaly:bad-checksum rule=- limiter=- in=c-gw out=gw-r2 queue=3 packet_id=3 "
        "policy=" +
            kDigest,
    };
    BOOST_TEST(f.comments() == expected, boost::test_tools::per_element());
}

// run --monitor: every packet accepted; a would-be drop is still captured under "drop", its
// comment naming what the policy decided (reason, rule), not the monitor reason.
BOOST_AUTO_TEST_CASE(monitor_mode_captures_would_be_drops_with_the_policys_reason_and_rule) {
    Fixture f{CaptureSelection::drop, 0, pipeline::Enforcement::monitor};
    const auto accepted = echo_from("192.0.2.1");
    const auto quiet = echo_from("203.0.113.1");
    f.pipe.begin_batch(f.active, 5'000);
    (void)f.pipe.process(input_of(accepted, 1));
    (void)f.pipe.process(input_of(quiet, 2));
    f.pipe.end_batch();
    const std::vector<std::string> expected{
        "icmpgate: verdict=accept would_be=drop reason=rule rule=quiet-drop limiter=- in=c-gw out=gw-r2 queue=3 "
        "packet_id=2 policy=" +
            kDigest,
    };
    BOOST_TEST(f.comments() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(all_captures_accepts_too_and_names_the_limiter_of_a_rate_limit) {
    Fixture f{CaptureSelection::all};
    const auto echo = echo_from("192.0.2.1");
    f.pipe.begin_batch(f.active, 5'000);
    for (std::uint32_t id = 1; id <= 3; ++id)
        (void)f.pipe.process(input_of(echo, id));  // burst 2: the third is limited
    f.pipe.end_batch();
    const std::vector<std::string> expected{
        "icmpgate: verdict=accept reason=rule rule=echo-in limiter=- in=c-gw out=gw-r2 queue=3 packet_id=1 policy=" +
            kDigest,
        "icmpgate: verdict=accept reason=rule rule=echo-in limiter=- in=c-gw out=gw-r2 queue=3 packet_id=2 policy=" +
            kDigest,
        "icmpgate: verdict=drop reason=rate-limit rule=echo-in limiter=echo in=c-gw out=gw-r2 queue=3 packet_id=3 "
        "policy=" +
            kDigest,
    };
    BOOST_TEST(f.comments() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(packets_carry_the_batchs_wall_clock_and_their_bytes) {
    Fixture f{CaptureSelection::all};
    const auto echo = echo_from("192.0.2.1");
    pipeline::PacketInput in = input_of(echo, 1);
    in.decode.wire_length = 1500;
    f.pipe.begin_batch(f.active, 5'000);
    (void)f.pipe.process(in);
    f.pipe.end_batch();
    QueuedPacket p;
    BOOST_TEST_REQUIRE(f.queue.front(p));
    BOOST_TEST(p.time_ns == kWall);
    BOOST_TEST(p.original_length == 1500U);
    BOOST_TEST(std::vector<std::uint8_t>(p.data.begin(), p.data.end()) == echo, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(frames_without_ip_are_not_captured) {
    Fixture f{CaptureSelection::all};
    pipeline::PacketInput arp;
    arp.carries_ip = false;
    f.pipe.begin_batch(f.active, 0);
    (void)f.pipe.process(arp);
    f.pipe.end_batch();
    BOOST_TEST(f.queue.empty());
}

BOOST_AUTO_TEST_CASE(the_writer_is_woken_only_when_a_batch_leaves_the_queue_a_quarter_full) {
    Fixture f{CaptureSelection::drop, CaptureQueue::kMinCapacity};
    // Each record: its 24-byte header, the comment and the 1,000-byte packet, padded to 8.
    const auto big = thousand_byte_drop();
    f.pipe.begin_batch(f.active, 5'000);
    for (std::uint32_t id = 1; id <= 10; ++id) (void)f.pipe.process(input_of(big, id));
    f.pipe.end_batch();
    BOOST_TEST(f.queue.used() > 10U * 1'000U);
    BOOST_TEST(f.queue.used() < CaptureQueue::kMinCapacity / 4);
    BOOST_TEST(f.writer.wake_requests() == 0U);  // the writer's own period takes these

    // 64 KiB of 256 KiB reached by this batch: woken once, after the batch.
    f.pipe.begin_batch(f.active, 5'000);
    std::uint32_t id = 11;
    while (f.queue.used() < CaptureQueue::kMinCapacity / 4) (void)f.pipe.process(input_of(big, id++));
    BOOST_TEST(f.writer.wake_requests() == 0U);
    f.pipe.end_batch();
    BOOST_TEST(f.writer.wake_requests() == 1U);

    // A batch that captures nothing wakes nobody, however full the queue.
    const auto accepted = echo_from("192.0.2.1");
    f.pipe.begin_batch(f.active, 5'000);
    (void)f.pipe.process(input_of(accepted, id++));
    f.pipe.end_batch();
    BOOST_TEST(f.writer.wake_requests() == 1U);
}

BOOST_AUTO_TEST_CASE(a_full_queue_drops_packets_and_counts_each) {
    Fixture f{CaptureSelection::drop, CaptureQueue::kMinCapacity};
    // Drops of about 1,000 bytes each: 400 of them do not fit 256 KiB.
    const auto big = thousand_byte_drop();
    f.pipe.begin_batch(f.active, 5'000);
    for (std::uint32_t id = 1; id <= 400; ++id) (void)f.pipe.process(input_of(big, id));
    f.pipe.end_batch();
    std::size_t queued = 0;
    QueuedPacket p;
    while (f.queue.front(p)) {
        ++queued;
        f.queue.pop();
    }
    BOOST_TEST(queued > 0U);
    BOOST_TEST(queued + f.writer.counts()[CaptureCounter::dropped_queue_full] == 400U);
    BOOST_TEST(f.queue.refused() == 400U - queued);
    BOOST_TEST(f.counters.snapshot().total() == 400U);  // every verdict given all the same
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::capture
