#include "filter/replay/pcap_source.h"

#include <pcap/dlt.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/filter/replay/capture_file.h"

namespace {

using icmpgate::replay::PcapSource;
using icmpgate::replay::ReadStatus;
using icmpgate::test::CapturedFrame;
using icmpgate::test::CaptureFile;

}  // namespace

BOOST_AUTO_TEST_SUITE(pcap_source)

BOOST_AUTO_TEST_CASE(reads_frames_with_nanosecond_timestamps_and_both_lengths) {
    const std::vector<CapturedFrame> frames{{1'747'736'100'123'456'789, {1, 2, 3, 4}, 4},
                                            {1'747'736'101'000'000'001, {5, 6}, 1500}};
    const CaptureFile file{DLT_RAW, frames, CaptureFile::Precision::nano};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE_MESSAGE(source.has_value(), error);
    BOOST_TEST(source->link_type() == DLT_RAW);

    const auto first = source->next();
    BOOST_REQUIRE((first.status == ReadStatus::frame));
    BOOST_TEST(first.frame.time_ns == 1'747'736'100'123'456'789);
    BOOST_TEST(first.frame.captured_length == 4U);
    BOOST_TEST(first.frame.wire_length == 4U);
    BOOST_TEST(std::vector<std::uint8_t>(first.frame.data.begin(), first.frame.data.end()) ==
                   (std::vector<std::uint8_t>{1, 2, 3, 4}),
               boost::test_tools::per_element());

    const auto second = source->next();
    BOOST_REQUIRE((second.status == ReadStatus::frame));
    BOOST_TEST(second.frame.time_ns == 1'747'736'101'000'000'001);
    BOOST_TEST(second.frame.captured_length == 2U);
    BOOST_TEST(second.frame.wire_length == 1500U);

    BOOST_TEST((source->next().status == ReadStatus::end));
}

BOOST_AUTO_TEST_CASE(scales_microsecond_captures_to_nanoseconds) {
    const CaptureFile file{DLT_EN10MB, {{1'747'736'100'654'321'000, {0xAA}, 1}}, CaptureFile::Precision::micro};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE_MESSAGE(source.has_value(), error);
    const auto read = source->next();
    BOOST_REQUIRE((read.status == ReadStatus::frame));
    BOOST_TEST(read.frame.time_ns == 1'747'736'100'654'321'000);
}

BOOST_AUTO_TEST_CASE(reports_a_missing_file_with_libpcaps_message) {
    std::string error;
    const auto source = PcapSource::open("/nonexistent/capture.pcap", error);
    BOOST_TEST(!source.has_value());
    BOOST_TEST(error.find("/nonexistent/capture.pcap") != std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(reports_a_frame_cut_by_the_end_of_the_file_as_an_error) {
    const CaptureFile whole{DLT_RAW, {{0, {1, 2, 3, 4, 5, 6, 7, 8}, 8}}, CaptureFile::Precision::nano};
    const auto size = std::filesystem::file_size(whole.path());
    std::filesystem::resize_file(whole.path(), size - 3);
    std::string error;
    auto source = PcapSource::open(whole.path(), error);
    BOOST_REQUIRE_MESSAGE(source.has_value(), error);
    BOOST_TEST((source->next().status == ReadStatus::error));
    BOOST_TEST(source->error_message().find("truncated") != std::string::npos, source->error_message());
}

BOOST_AUTO_TEST_SUITE_END()
