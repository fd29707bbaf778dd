#include "filter/log/async_line_writer.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace icmpgate::log {
namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "icmpgate-writer-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

std::vector<std::string> read_lines(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The process may write regular files up to `bytes` while it lives (RLIMIT_FSIZE; a write past
// it fails with EFBIG instead of raising SIGXFSZ): a full disk, in a test.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &saved_);
        previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        set(bytes);
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previous_handler_);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    void set(rlim_t bytes) {
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        BOOST_TEST_REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
    }
    void lift() { BOOST_TEST_REQUIRE(setrlimit(RLIMIT_FSIZE, &saved_) == 0); }

private:
    rlimit saved_{};
    void (*previous_handler_)(int){SIG_DFL};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(async_line_writer)

// A line cut by a full disk stays cut while the disk stays full: the newline that ends it is
// written first once there is room again, so the gap event that follows is a line of its own
// and every line of the file is one JSON object.
BOOST_AUTO_TEST_CASE(a_line_cut_by_a_full_disk_is_ended_before_the_gap_event_even_after_more_failures) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    const std::string line = "{\"pad\":\"" + std::string(100, 'x') + "\"}";
    {
        AsyncLineWriter writer({.path = file.string(), .capacity_bytes = 1U << 16U});
        BOOST_TEST(writer.submit(line));
        writer.flush();
        FileSizeLimit limit(line.size() + 1 + line.size() / 2);  // the second line is cut halfway
        BOOST_TEST(writer.submit(line));
        writer.flush();
        BOOST_TEST(writer.stats().write_errors == 1U);
        BOOST_TEST(writer.submit(line));  // the disk is still full: its newline cannot be written either
        writer.flush();
        BOOST_TEST(writer.stats().write_errors == 2U);
        limit.lift();
        BOOST_TEST(writer.submit("{\"after\":true}"));
        writer.flush();
        BOOST_TEST(writer.stats().dropped_write_error == 2U);
    }
    const auto lines = read_lines(file);
    BOOST_TEST_REQUIRE(lines.size() == 4U);
    BOOST_TEST(lines[0] == line);
    BOOST_TEST(lines[1] == line.substr(0, line.size() / 2));  // the cut line, ended
    const auto gap = nlohmann::json::parse(lines[2]);
    BOOST_TEST(gap.at("icmpgate").at("event").get<std::string>() == "log_gap");
    BOOST_TEST(gap.at("icmpgate").at("lines_dropped").get<int>() == 2);
    BOOST_TEST(lines[3] == "{\"after\":true}");
}

BOOST_AUTO_TEST_CASE(writes_lines_in_order_with_newlines) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    {
        AsyncLineWriter writer({.path = file.string(), .capacity_bytes = 1U << 16U});
        for (int i = 0; i < 100; ++i) BOOST_TEST(writer.submit("{\"n\":" + std::to_string(i) + "}"));
        writer.flush();
        BOOST_TEST(writer.stats().written == 100U);
    }
    const auto lines = read_lines(file);
    std::size_t expected = 0;
    for (const std::string& line : lines) {
        const auto j = nlohmann::json::parse(line);
        BOOST_TEST(j.at("n").get<std::size_t>() == expected);
        ++expected;
    }
    BOOST_TEST(expected == 100U);
}

BOOST_AUTO_TEST_CASE(refuses_and_counts_a_line_longer_than_max_line) {
    TempDir dir;
    AsyncLineWriter writer({.path = (dir.path / "eve.json").string(), .capacity_bytes = 4096, .max_line = 256});
    BOOST_TEST(!writer.submit(std::string(256, 'x')));  // 256 bytes + newline exceed 256
    BOOST_TEST(writer.submit(std::string(255, 'x')));
    writer.flush();
    BOOST_TEST(writer.stats().dropped_too_long == 1U);
    BOOST_TEST(writer.stats().written == 1U);
}

BOOST_AUTO_TEST_CASE(counts_lines_lost_to_a_full_disk_and_reports_them_when_space_returns) {
    TempDir dir;
    const fs::path link = dir.path / "eve.json";
    const fs::path real = dir.path / "real.json";
    fs::create_symlink("/dev/full", link);  // every write fails with ENOSPC
    AsyncLineWriter writer({.path = link.string(), .capacity_bytes = 4096});
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(writer.submit("{\"lost\":true}"));
        writer.flush();
    }
    BOOST_TEST(writer.stats().dropped_write_error == 3U);
    BOOST_TEST(writer.stats().write_errors == 3U);

    fs::remove(link);
    fs::create_symlink(real, link);  // "space returns": the path now leads to a writable file
    writer.request_reopen();
    BOOST_TEST(writer.submit("{\"kept\":true}"));
    writer.flush();

    const auto lines = read_lines(real);
    BOOST_TEST_REQUIRE(lines.size() == 2U);
    const auto gap = nlohmann::json::parse(lines[0]);
    BOOST_TEST(gap.at("event_type").get<std::string>() == "icmpgate");
    BOOST_TEST(gap.at("icmpgate").at("event").get<std::string>() == "log_gap");
    BOOST_TEST(gap.at("icmpgate").at("lines_dropped").get<int>() == 3);
    BOOST_TEST(gap.at("icmpgate").at("reason").get<std::string>() == "write-error");
    BOOST_TEST(lines[1] == "{\"kept\":true}");
    BOOST_TEST(writer.stats().reopens == 1U);
}

BOOST_AUTO_TEST_CASE(drops_when_the_queue_is_full_and_writes_a_gap_record_before_the_next_line) {
    TempDir dir;
    const fs::path fifo = dir.path / "eve.fifo";
    BOOST_TEST_REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    // A reader that does not read yet: the writer fills the pipe, then blocks in write().
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    BOOST_TEST_REQUIRE(reader >= 0);
    AsyncLineWriter writer({.path = fifo.string(), .capacity_bytes = 4096});
    const std::string line = "{\"pad\":\"" + std::string(1000, 'x') + "\"}";
    int refused = 0;
    for (int i = 0; i < 10'000 && refused < 5; ++i)
        if (!writer.submit(line)) ++refused;
    BOOST_TEST(refused == 5);
    BOOST_TEST(writer.stats().dropped_queue_full == 5U);

    // Drain the pipe in the background; the next line is preceded by a gap record.
    std::string received;
    std::thread drain([&] {
        ::fcntl(reader, F_SETFL, 0);  // blocking reads from now on
        std::array<char, 4096> buf{};
        for (;;) {
            const ssize_t n = ::read(reader, buf.data(), buf.size());
            if (n <= 0) break;
            received.append(buf.data(), static_cast<std::size_t>(n));
            if (received.find("\"last\"") != std::string::npos) break;
        }
    });
    while (!writer.submit("{\"last\":true}")) writer.flush();
    writer.flush();
    drain.join();
    ::close(reader);

    const auto gap_at = received.find("\"event\":\"log_gap\"");
    BOOST_TEST_REQUIRE(gap_at != std::string::npos);
    // Every refused line is in the gap record (the retries of the last line included).
    const std::string expected_gap =
        "\"lines_dropped\":" + std::to_string(writer.stats().dropped_queue_full) + ",\"reason\":\"queue-full\"";
    BOOST_TEST(writer.stats().dropped_queue_full >= 5U);
    BOOST_TEST(received.find(expected_gap) != std::string::npos);
    BOOST_TEST(gap_at < received.find("\"last\""));
}

BOOST_AUTO_TEST_CASE(lines_of_every_size_wrap_around_a_small_buffer_in_order) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    std::vector<std::string> sent;
    {
        AsyncLineWriter writer({.path = file.string(), .capacity_bytes = 4096});
        for (std::size_t i = 0; i < 2000; ++i) {
            // Sizes from 1 to ~1.9 KiB so records end at every offset and the end is skipped often.
            const std::string line =
                std::to_string(i) + ":" + std::string((i * 37) % 1900, 'a' + static_cast<char>(i % 26));
            while (!writer.submit(line)) writer.flush();
            sent.push_back(line);
        }
        writer.flush();
        BOOST_TEST(writer.stats().written >= sent.size());
    }
    std::vector<std::string> lines;
    for (const std::string& line : read_lines(file))
        if (line.find("log_gap") == std::string::npos) lines.push_back(line);
    BOOST_TEST_REQUIRE(lines.size() == sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) BOOST_TEST_REQUIRE(lines[i] == sent[i]);
}

BOOST_AUTO_TEST_CASE(a_line_far_longer_than_a_verdict_record_is_written_whole) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    const std::string stats = "{\"stats\":\"" + std::string(100'000, 's') + "\"}";
    {
        AsyncLineWriter writer({.path = file.string()});
        BOOST_TEST(writer.submit(stats));
        writer.flush();
    }
    const auto lines = read_lines(file);
    BOOST_TEST_REQUIRE(lines.size() == 1U);
    BOOST_TEST(lines[0] == stats);
}

// A linger longer than any test: lines only reach the file through flush(), the eager
// threshold, wake() or shutdown, so each assertion below pins one of those paths.
constexpr std::chrono::hours kEndlessLinger{1};

// Waits up to 10 s for the file to hold `count` lines; returns how many it holds.
std::size_t wait_for_lines(const fs::path& file, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::size_t have = 0;
    while ((have = read_lines(file).size()) < count && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return have;
}

BOOST_AUTO_TEST_CASE(flush_ends_a_linger) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    AsyncLineWriter writer({.path = file.string(), .linger = kEndlessLinger});
    BOOST_TEST(writer.submit("{\"n\":1}"));
    const auto start = std::chrono::steady_clock::now();
    writer.flush();
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
    BOOST_TEST(read_lines(file) == std::vector<std::string>{"{\"n\":1}"}, boost::test_tools::per_element());
    BOOST_TEST(writer.stats().written == 1U);
}

BOOST_AUTO_TEST_CASE(a_lingering_writer_writes_once_the_eager_threshold_is_queued) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    // capacity / 4 = 16 KiB is the threshold here; 20 lines of 1 KiB pass it.
    AsyncLineWriter writer({.path = file.string(), .capacity_bytes = 64U << 10U, .linger = kEndlessLinger});
    const std::string line(1023, 'e');
    for (int i = 0; i < 20; ++i) BOOST_TEST(writer.submit(line));
    BOOST_TEST(wait_for_lines(file, 16) >= 16U);  // without flush(), within seconds, not an hour
}

BOOST_AUTO_TEST_CASE(shutdown_writes_what_lingers) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    const auto start = std::chrono::steady_clock::now();
    {
        AsyncLineWriter writer({.path = file.string(), .linger = kEndlessLinger});
        BOOST_TEST(writer.submit("{\"n\":1}"));
        BOOST_TEST(writer.submit("{\"n\":2}"));
    }
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
    BOOST_TEST(read_lines(file).size() == 2U);
}

BOOST_AUTO_TEST_CASE(lines_submitted_without_wake_are_written_after_wake) {
    TempDir dir;
    const fs::path file = dir.path / "eve.json";
    AsyncLineWriter writer({.path = file.string()});
    for (int i = 0; i < 3; ++i) BOOST_TEST(writer.submit_without_wake("{\"n\":" + std::to_string(i) + "}"));
    writer.wake();
    BOOST_TEST(wait_for_lines(file, 3) == 3U);
    BOOST_TEST(writer.stats().written == 3U);
}

BOOST_AUTO_TEST_CASE(throws_a_clear_error_when_the_log_cannot_be_opened) {
    BOOST_CHECK_EXCEPTION(AsyncLineWriter({.path = "/nonexistent-dir/eve.json"}), std::system_error,
                          [](const std::system_error& e) {
                              return std::string(e.what()).find("opening log /nonexistent-dir/eve.json") == 0;
                          });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::log
