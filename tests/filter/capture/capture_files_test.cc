#include "filter/capture/capture_files.h"

#include <sys/stat.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "tests/filter/capture/temp_directory.h"

namespace icmpgate::capture {
namespace {

constexpr std::int64_t kTime = 1'764'065'700'000'000'000;  // 2025-11-25 10:15:00 UTC
const std::array<std::uint8_t, 4> kBytes{1, 2, 3, 4};

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_files)

BOOST_AUTO_TEST_CASE(file_names_carry_a_sequence_and_the_utc_start) {
    BOOST_TEST(CaptureFiles::file_name(42, kTime) == "icmpgate-00000042-20251125T101500Z.pcapng");
    BOOST_TEST(CaptureFiles::file_name(123456789, kTime) == "icmpgate-123456789-20251125T101500Z.pcapng");
    BOOST_TEST(CaptureFiles::sequence_of("icmpgate-00000042-20251125T101500Z.pcapng") == 42U);
    BOOST_TEST(CaptureFiles::sequence_of("icmpgate-123456789-x.pcapng") == 123456789U);
    for (const char* other : {"eve.json", "icmpgate-.pcapng", "icmpgate-12.pcapng", "icmpgate-1a-x.pcapng",
                              "icmpgate-00000001-x.pcap", "other-00000001-x.pcapng"})
        BOOST_TEST(CaptureFiles::sequence_of(other) == 0U, other);
}

BOOST_AUTO_TEST_CASE(the_directory_is_created_0750_and_files_0640) {
    const test::TempDirectory tmp;
    const std::string dir = tmp.sub("captures");
    const mode_t old_mask = ::umask(0);
    CaptureFiles files{{dir, 1000, 3}};
    files.open_directory();
    std::uint64_t removed = 0;
    BOOST_TEST(files.start_file(kTime, removed));
    ::umask(old_mask);
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(dir.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777U) == 0750U);
    BOOST_TEST_REQUIRE(::stat(files.current_path().c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777U) == 0640U);
    BOOST_TEST(files.current_path() == dir + "/icmpgate-00000001-20251125T101500Z.pcapng");
}

BOOST_AUTO_TEST_CASE(the_ring_keeps_at_most_max_files_oldest_removed_first) {
    const test::TempDirectory tmp;
    CaptureFiles files{{tmp.path(), 1000, 3}};
    files.open_directory();
    std::uint64_t removed = 0;
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST_REQUIRE(files.start_file(kTime + i * 1'000'000'000LL, removed));
        BOOST_TEST_REQUIRE(files.append(kBytes));
    }
    BOOST_TEST(removed == 2U);
    const std::vector<std::string> expected{"icmpgate-00000003-20251125T101502Z.pcapng",
                                            "icmpgate-00000004-20251125T101503Z.pcapng",
                                            "icmpgate-00000005-20251125T101504Z.pcapng"};
    BOOST_TEST(test::TempDirectory::names(tmp.path()) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_restart_continues_the_ring_of_the_previous_run_and_leaves_other_files) {
    const test::TempDirectory tmp;
    std::ofstream{tmp.sub("notes.txt")} << "kept";
    for (const char* earlier :
         {"icmpgate-00000007-20251125T090000Z.pcapng", "icmpgate-00000009-20251125T091000Z.pcapng"})
        std::ofstream{tmp.sub(earlier)} << "x";
    CaptureFiles files{{tmp.path(), 1000, 2}};
    files.open_directory();
    std::uint64_t removed = 0;
    BOOST_TEST_REQUIRE(files.start_file(kTime, removed));
    BOOST_TEST(removed == 1U);  // 7 goes; 9 and the new 10 make two
    const std::vector<std::string> expected{"icmpgate-00000009-20251125T091000Z.pcapng",
                                            "icmpgate-00000010-20251125T101500Z.pcapng", "notes.txt"};
    BOOST_TEST(test::TempDirectory::names(tmp.path()) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_second_writer_on_the_same_directory_is_refused) {
    const test::TempDirectory tmp;
    CaptureFiles first{{tmp.path(), 1000, 2}};
    first.open_directory();
    CaptureFiles second{{tmp.path(), 1000, 2}};
    BOOST_CHECK_EXCEPTION(second.open_directory(), std::system_error, [](const std::system_error& e) {
        return std::string{e.what()}.find("in use by another icmpgate") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_missing_parent_is_an_error) {
    const test::TempDirectory tmp;
    CaptureFiles files{{tmp.sub("no/such"), 1000, 2}};
    BOOST_CHECK_THROW(files.open_directory(), std::system_error);
}

BOOST_AUTO_TEST_CASE(appends_count_the_file_size) {
    const test::TempDirectory tmp;
    CaptureFiles files{{tmp.path(), 1000, 2}};
    files.open_directory();
    std::uint64_t removed = 0;
    BOOST_TEST_REQUIRE(files.start_file(kTime, removed));
    BOOST_TEST(files.append(kBytes));
    BOOST_TEST(files.append(kBytes));
    BOOST_TEST(files.size() == 8U);
    BOOST_TEST(std::filesystem::file_size(files.current_path()) == 8U);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::capture
