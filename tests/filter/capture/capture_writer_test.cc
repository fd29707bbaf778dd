#include "filter/capture/capture_writer.h"

#include <sys/resource.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "filter/capture/pcapng_blocks.h"
#include "filter/replay/pcap_source.h"
#include "tests/filter/capture/pcapng_test_reader.h"
#include "tests/filter/capture/temp_directory.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::capture {
namespace {

constexpr std::int64_t kTime = 1'764'065'700'000'000'000;  // 2025-11-25 10:15:00 UTC
std::int64_t fake_clock() noexcept {
    return kTime;
}
// libpcap's DLT_RAW, which it reports for LINKTYPE_RAW (101) files.
constexpr int kDltRaw = 12;

const std::vector<std::uint8_t>& echo() {
    static const std::vector<std::uint8_t> bytes =
        icmpgate::test::PacketBuilder::ipv4("192.0.2.10", "203.0.113.34").echo_request(7, 1).build();
    return bytes;
}

QueuedPacket packet(std::int64_t time_ns, std::string_view comment) {
    QueuedPacket p;
    p.time_ns = time_ns;
    p.comment = comment;
    p.data = decode::Bytes{echo()};
    return p;
}

const char* const kDescription = "layer-3 packets; each comment holds the verdict and the interfaces";

std::size_t file_head_size(std::string_view interface = "") {
    return section_header_size({"icmpgate"}) + interface_description_size({interface, kDescription});
}

struct Writer {
    explicit Writer(const std::string& dir, std::uint64_t max_bytes, std::uint32_t max_files,
                    const std::string& interface = "")
        : writer{CaptureWriterOptions{{dir, max_bytes, max_files}, "icmpgate", interface, fake_clock}},
          queue{writer.add_queue(0)} {}
    CaptureWriter writer;
    CaptureQueue& queue;
};

std::vector<std::string> capture_files(const std::string& dir) {
    std::vector<std::string> out;
    for (const std::string& name : test::TempDirectory::names(dir)) out.push_back(dir + "/" + name);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_writer)

BOOST_AUTO_TEST_CASE(a_file_is_one_raw_ip_interface_then_the_packets_with_their_comments) {
    const test::TempDirectory tmp;
    Writer w{tmp.path(), 1U << 20U, 4};
    w.writer.start();
    BOOST_TEST(w.queue.push(packet(kTime + 1, "icmpgate: verdict=drop reason=rule")));
    BOOST_TEST(w.queue.push(packet(kTime + 2, "icmpgate: verdict=accept reason=default")));
    BOOST_TEST(w.queue.push(packet(kTime + 3, "")));
    w.writer.notify();
    w.writer.flush();
    const CaptureCounts counts = w.writer.counts();
    BOOST_TEST(counts[CaptureCounter::written] == 3U);
    BOOST_TEST(counts[CaptureCounter::files_opened] == 1U);
    w.writer.stop();

    const std::vector<std::string> files = capture_files(tmp.path());
    BOOST_TEST_REQUIRE(files.size() == 1U);
    BOOST_TEST(std::filesystem::file_size(files[0]) ==
               file_head_size() +
                   enhanced_packet_size({0, 0, decode::Bytes{echo()}, 0, "icmpgate: verdict=drop reason=rule"}) +
                   enhanced_packet_size({0, 0, decode::Bytes{echo()}, 0, "icmpgate: verdict=accept reason=default"}) +
                   enhanced_packet_size({0, 0, decode::Bytes{echo()}, 0, ""}));
    const test::ReadFile f = test::read_pcapng(files[0]);
    const std::vector<std::uint32_t> blocks{0x0A0D0D0AU, 1, 6, 6, 6};
    BOOST_TEST(f.block_types == blocks, boost::test_tools::per_element());
    const std::vector<std::string> names{""};
    BOOST_TEST(f.interface_names == names, boost::test_tools::per_element());
    const std::vector<std::uint16_t> links{101};
    BOOST_TEST(f.link_types == links, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(f.packets.size() == 3U);
    BOOST_TEST(f.packets[0].comment == "icmpgate: verdict=drop reason=rule");
    BOOST_TEST(f.packets[0].time_ns == static_cast<std::uint64_t>(kTime + 1));
    BOOST_TEST(f.packets[0].data == echo(), boost::test_tools::per_element());
    BOOST_TEST(f.packets[1].comment == "icmpgate: verdict=accept reason=default");
    BOOST_TEST(f.packets[2].comment.empty());
    for (const test::ReadPacket& p : f.packets) BOOST_TEST(p.interface_id == 0U);
}

BOOST_AUTO_TEST_CASE(a_watchs_files_name_the_watched_interface) {
    const test::TempDirectory tmp;
    Writer w{tmp.path(), 1U << 20U, 4, "span0"};
    w.writer.start();
    w.writer.stop();
    const std::vector<std::string> files = capture_files(tmp.path());
    BOOST_TEST_REQUIRE(files.size() == 1U);
    const std::vector<std::string> names{"span0"};
    BOOST_TEST(test::read_pcapng(files[0]).interface_names == names, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(libpcap_reads_the_files_back_as_raw_ip_with_nanosecond_times) {
    const test::TempDirectory tmp;
    Writer w{tmp.path(), 1U << 20U, 4};
    w.writer.start();
    QueuedPacket cut = packet(kTime + 5, "cut");
    cut.original_length = 1500;
    BOOST_TEST(w.queue.push(packet(kTime + 123'456'789, "a")));
    BOOST_TEST(w.queue.push(cut));
    w.writer.stop();
    const std::vector<std::string> files = capture_files(tmp.path());
    BOOST_TEST_REQUIRE(files.size() == 1U);
    std::string error;
    std::optional<replay::PcapSource> source = replay::PcapSource::open(files[0], error);
    BOOST_TEST_REQUIRE(source.has_value(), error);
    BOOST_TEST(source->link_type() == kDltRaw);
    replay::ReadResult r = source->next();
    BOOST_TEST_REQUIRE((r.status == replay::ReadStatus::frame), source->error_message());
    BOOST_TEST(r.frame.time_ns == kTime + 123'456'789);
    BOOST_TEST(std::vector<std::uint8_t>(r.frame.data.begin(), r.frame.data.end()) == echo(),
               boost::test_tools::per_element());
    r = source->next();
    BOOST_TEST_REQUIRE((r.status == replay::ReadStatus::frame));
    BOOST_TEST(r.frame.wire_length == 1500U);
    BOOST_TEST(r.frame.captured_length == echo().size());
    BOOST_TEST((source->next().status == replay::ReadStatus::end));
}

BOOST_AUTO_TEST_CASE(a_file_is_rotated_before_the_block_that_would_pass_the_size_bound) {
    const test::TempDirectory tmp;
    const std::string comment = "icmpgate: verdict=drop";
    const std::size_t epb = enhanced_packet_size({0, 0, decode::Bytes{echo()}, 0, comment});
    const std::size_t bound = file_head_size() + 3 * epb;  // exactly three packets
    Writer w{tmp.path(), bound, 10};
    w.writer.start();
    for (int i = 0; i < 7; ++i) BOOST_TEST(w.queue.push(packet(kTime + i, comment)));
    w.writer.stop();

    const std::vector<std::string> files = capture_files(tmp.path());
    BOOST_TEST_REQUIRE(files.size() == 3U);
    BOOST_TEST(std::filesystem::file_size(files[0]) == bound);
    BOOST_TEST(std::filesystem::file_size(files[1]) == bound);
    BOOST_TEST(std::filesystem::file_size(files[2]) == file_head_size() + epb);
    std::uint64_t next_time = kTime;
    for (const std::string& file : files) {
        const test::ReadFile f = test::read_pcapng(file);
        BOOST_TEST(f.block_types.front() == 0x0A0D0D0AU);  // each file starts its own section
        for (const test::ReadPacket& p : f.packets) BOOST_TEST(p.time_ns == next_time++);
    }
    BOOST_TEST(next_time == static_cast<std::uint64_t>(kTime + 7));
    const CaptureCounts c = w.writer.counts();
    BOOST_TEST(c[CaptureCounter::written] == 7U);
    BOOST_TEST(c[CaptureCounter::files_opened] == 3U);
    BOOST_TEST(c[CaptureCounter::files_removed] == 0U);
}

BOOST_AUTO_TEST_CASE(the_ring_holds_the_newest_n_files) {
    const test::TempDirectory tmp;
    const std::string comment = "c";
    const std::size_t epb = enhanced_packet_size({0, 0, decode::Bytes{echo()}, 0, comment});
    const std::size_t bound = file_head_size() + 2 * epb;
    Writer w{tmp.path(), bound, 2};
    w.writer.start();
    for (int i = 0; i < 9; ++i) BOOST_TEST(w.queue.push(packet(kTime + i, comment)));
    w.writer.stop();
    // 9 packets, 2 a file: files 1..5; the ring keeps 4 and 5.
    const std::vector<std::string> names = test::TempDirectory::names(tmp.path());
    const std::vector<std::string> expected{"icmpgate-00000004-20251125T101500Z.pcapng",
                                            "icmpgate-00000005-20251125T101500Z.pcapng"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());
    BOOST_TEST(test::read_pcapng(tmp.sub(names[0])).packets.size() == 2U);
    BOOST_TEST(test::read_pcapng(tmp.sub(names[1])).packets.size() == 1U);
    const CaptureCounts c = w.writer.counts();
    BOOST_TEST(c[CaptureCounter::files_opened] == 5U);
    BOOST_TEST(c[CaptureCounter::files_removed] == 3U);
    BOOST_TEST(c[CaptureCounter::written] == 9U);
}

// A write the file system refuses (here: past RLIMIT_FSIZE, as a full disk would) loses the
// packets of that write, counted; the file is cut back to its last whole block and stays readable.
BOOST_AUTO_TEST_CASE(a_failed_write_is_counted_and_leaves_a_readable_file) {
    const test::TempDirectory tmp;
    Writer w{tmp.path(), 1U << 20U, 4};
    w.writer.start();
    BOOST_TEST(w.queue.push(packet(kTime, "first")));
    w.writer.flush();
    const std::uint64_t good_size = std::filesystem::file_size(capture_files(tmp.path())[0]);

    rlimit saved{};
    BOOST_TEST_REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = good_size + 50;  // part of the next block fits, not all of it
    BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    BOOST_TEST(w.queue.push(packet(kTime + 1, "lost")));
    w.writer.notify();
    w.writer.flush();
    BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &saved) == 0);
    std::signal(SIGXFSZ, old_handler);

    BOOST_TEST(std::filesystem::file_size(capture_files(tmp.path())[0]) == good_size);
    BOOST_TEST(w.queue.push(packet(kTime + 3, "after")));
    w.writer.stop();
    const CaptureCounts c = w.writer.counts();
    BOOST_TEST(c[CaptureCounter::written] == 2U);
    BOOST_TEST(c[CaptureCounter::dropped_write_error] == 1U);
    BOOST_TEST(c[CaptureCounter::write_errors] == 1U);
    const test::ReadFile f = test::read_pcapng(capture_files(tmp.path())[0]);
    BOOST_TEST_REQUIRE(f.packets.size() == 2U);
    BOOST_TEST(f.packets[0].comment == "first");
    BOOST_TEST(f.packets[1].comment == "after");
}

BOOST_AUTO_TEST_CASE(an_unusable_directory_fails_the_start) {
    const test::TempDirectory tmp;
    Writer w{tmp.sub("missing/parent"), 1U << 20U, 4};
    BOOST_CHECK_THROW(w.writer.start(), std::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::capture
