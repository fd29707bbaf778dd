#include "filter/watch/watch_source.h"

#include <pcap/pcap.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "filter/pipeline/record_sink.h"
#include "tests/filter/pipeline/pipeline_fixture.h"

namespace icmpgate::watch {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Destination, source, an optional 802.1Q tag (VLAN 100), the ethertype, the packet. Built byte
// by byte: GCC 12 -O2 warns falsely (array-bounds) on inserting a list into a short vector.
Bytes ethernet(const Bytes& l3, std::uint16_t type, bool vlan_tag = false) {
    Bytes f;
    constexpr std::array<std::uint8_t, 12> kAddresses{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    constexpr std::array<std::uint8_t, 4> kTag{0x81, 0x00, 0x00, 100};
    for (const std::uint8_t b : kAddresses) f.push_back(b);
    if (vlan_tag)
        for (const std::uint8_t b : kTag) f.push_back(b);
    f.push_back(static_cast<std::uint8_t>(type >> 8U));
    f.push_back(static_cast<std::uint8_t>(type & 0xFFU));
    for (const std::uint8_t b : l3) f.push_back(b);
    return f;
}

struct TimedFrame {
    std::int64_t time_ns;
    Bytes bytes;
};

// Hands out its frames in the reads given (a list of batch sizes), then stops the watch.
class ListedFrames final : public FrameSource {
public:
    ListedFrames(std::vector<TimedFrame> frames, std::vector<std::size_t> reads, std::atomic<bool>& stop)
        : frames_{std::move(frames)}, reads_{std::move(reads)}, stop_{stop} {}
    [[nodiscard]] int link_type() const noexcept override { return DLT_EN10MB; }
    [[nodiscard]] int read(std::size_t max, FrameHandler& handler) noexcept override {
        if (next_read_ == reads_.size()) {
            stop_.store(true);
            return 0;
        }
        const std::size_t n = std::min(max, reads_[next_read_++]);
        for (std::size_t i = 0; i < n && next_ < frames_.size(); ++i, ++next_) {
            const TimedFrame& f = frames_[next_];
            replay::Frame frame;
            frame.data = decode::Bytes{f.bytes};
            frame.captured_length = static_cast<std::uint32_t>(f.bytes.size());
            frame.wire_length = frame.captured_length;
            frame.time_ns = f.time_ns;
            handler.frame(frame);
        }
        return static_cast<int>(n);
    }
    [[nodiscard]] std::string error_message() const override { return ""; }

private:
    std::vector<TimedFrame> frames_;
    std::vector<std::size_t> reads_;
    std::atomic<bool>& stop_;
    std::size_t next_{0};
    std::size_t next_read_{0};
};

class KeptRecords final : public pipeline::RecordSink {
public:
    void write(const log::VerdictRecord& record) override { records.push_back(record); }
    std::vector<log::VerdictRecord> records;
};

constexpr std::int64_t kIdleClock = 9'000'000'000;
std::int64_t idle_clock() noexcept {
    return kIdleClock;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(watch_source)

BOOST_AUTO_TEST_CASE(each_frame_is_decided_once_on_its_capture_time_and_the_watched_interface) {
    const Bytes echo = pipeline::test::echo_from("192.0.2.1");
    const Bytes quiet = pipeline::test::echo_from("203.0.113.1");
    std::atomic<bool> stop{false};
    ListedFrames frames{{{1'000, ethernet(echo, 0x0800)},
                         {2'000, ethernet(quiet, 0x0800, true)},    // 802.1Q-tagged
                         {3'000, ethernet(Bytes(28, 0), 0x0806)}},  // ARP: no IP
                        {2, 0, 1},
                        stop};
    pipeline::ActivePolicy active{pipeline::test::compiled_policy(), 0};
    WatchCounters counters;
    WatchSource source{frames, active, counters, "span0", idle_clock};
    KeptRecords kept;
    pipeline::test::CallRecorder calls;
    source.add_sink(kept);
    source.add_sink(calls);
    BOOST_TEST(source.run(stop));

    BOOST_TEST_REQUIRE(kept.records.size() == 3U);
    BOOST_TEST(kept.records[0].rule_id.view() == "echo-in");
    BOOST_TEST(kept.records[0].time_ns == 1'000);
    BOOST_TEST(kept.records[0].in_iface.view() == "span0");
    BOOST_TEST(kept.records[0].out_iface.empty());
    BOOST_TEST(!kept.records[0].queue.has_value());
    BOOST_TEST(!kept.records[0].replay.has_value());
    BOOST_TEST(kept.records[1].rule_id.view() == "quiet-drop");
    BOOST_TEST((kept.records[1].decision.verdict == rules::Verdict::drop));
    BOOST_TEST((kept.records[2].decision.reason == verdict::Reason::not_icmp));
    BOOST_TEST(counters.frames.get() == 3U);
    BOOST_TEST(counters.not_ip.get() == 1U);
    BOOST_TEST(counters.verdicts.snapshot().total() == 3U);
    // A read with frames is one batch at its first frame's time; an empty read a batch on the clock.
    const std::vector<std::string> expected{
        "begin 1000",      "packet rule", "packet rule",      "end", "begin 9000000000", "end", "begin 3000",
        "packet not-icmp", "end",         "begin 9000000000", "end", "finish",           "end"};
    BOOST_TEST(calls.calls == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_any_interface_names_none) {
    std::atomic<bool> stop{false};
    ListedFrames frames{{{1'000, ethernet(pipeline::test::echo_from("192.0.2.1"), 0x0800)}}, {1}, stop};
    pipeline::ActivePolicy active{pipeline::test::compiled_policy(), 0};
    WatchCounters counters;
    WatchSource source{frames, active, counters, "any", idle_clock};
    KeptRecords kept;
    source.add_sink(kept);
    BOOST_TEST(source.run(stop));
    BOOST_TEST_REQUIRE(kept.records.size() == 1U);
    BOOST_TEST(kept.records[0].in_iface.empty());
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::watch
