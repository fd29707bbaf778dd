#include "filter/pipeline/eve_log_sink.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "filter/log/log_suppressor.h"
#include "filter/pipeline/pipeline.h"
#include "tests/filter/pipeline/pipeline_fixture.h"

namespace icmpgate::pipeline {
namespace {

using nlohmann::json;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1'747'736'100 * kSecond;  // a capture time (2025-05-20)

int g_wall_clock_reads = 0;
std::int64_t fake_wall_clock() noexcept {
    ++g_wall_clock_reads;
    return kT0 + 42 * kSecond + g_wall_clock_reads;
}

// A pipeline with the EVE sink over kept lines, fed packets with an explicit clock.
struct Fixture {
    explicit Fixture(std::uint32_t lines_per_second = 0, bool wall_clock = false,
                     Enforcement enforcement = Enforcement::enforce)
        : pipeline{counters, enforcement}, suppressor{lines_per_second} {
        EveLogOptions options;
        options.suppressor = lines_per_second > 0 ? &suppressor : nullptr;
        options.suppression_clock = SuppressionClock::from_first_batch;  // kT0 is a date, as in replay
        options.wall_clock = wall_clock ? fake_wall_clock : nullptr;
        sink.emplace(out, log_counts, options);
        pipeline.add_sink(*sink);
        g_wall_clock_reads = 0;
    }
    void batch(std::int64_t now_ns, const std::vector<std::vector<std::uint8_t>>& packets) {
        pipeline.begin_batch(active, now_ns);
        std::uint32_t id = 0;
        for (const auto& bytes : packets) {
            PacketInput input;
            input.l3 = decode::Bytes{bytes.data(), bytes.size()};
            input.meta.now_ns = now_ns;
            input.origin.queue = log::QueueContext{3, ++id};
            (void)pipeline.process(input);
        }
        pipeline.end_batch();
    }
    [[nodiscard]] std::vector<json> parsed() const {
        std::vector<json> lines;
        for (const std::string& l : out.lines) lines.push_back(json::parse(l));
        return lines;
    }

    ActivePolicy active{test::compiled_policy(), 0};
    VerdictCounters counters;
    Pipeline pipeline;
    log::LogSuppressor suppressor;
    test::KeptLines out;
    LogSinkCounters log_counts;
    std::optional<EveLogSink> sink;
};

struct Suppressing : Fixture {
    Suppressing() : Fixture(2) {}
};

// run --monitor: every packet accepted, the policy's decision the would-be.
struct Monitoring : Fixture {
    explicit Monitoring(std::uint32_t lines_per_second = 0) : Fixture(lines_per_second, false, Enforcement::monitor) {}
};

}  // namespace

BOOST_AUTO_TEST_SUITE(eve_log_sink)

BOOST_FIXTURE_TEST_CASE(one_line_per_packet_with_its_origin_and_time_except_log_false_rules, Fixture) {
    batch(kT0, {test::echo_from("192.0.2.1"), test::echo_from("203.0.113.1"), test::tcp_segment()});
    const std::vector<json> lines = parsed();
    BOOST_REQUIRE(lines.size() == 2U);  // quiet-drop says "log": false
    BOOST_TEST(lines[0]["event_type"] == "alert");
    BOOST_TEST(lines[0]["icmpgate"]["reason"] == "rule");
    BOOST_TEST(lines[0]["icmpgate"]["rule"] == "echo-in");
    BOOST_TEST(lines[0]["icmpgate"]["queue"] == 3);
    BOOST_TEST(lines[0]["icmpgate"]["packet_id"] == 1);
    BOOST_TEST(lines[0]["timestamp"] == "2025-05-20T10:15:00.000000+0000");  // the packet's own time
    BOOST_TEST(lines[1]["icmpgate"]["reason"] == "not-icmp");
    BOOST_TEST(lines[1]["icmpgate"]["packet_id"] == 3);
    BOOST_TEST(out.one_newline_each);
    BOOST_TEST(out.batches_ended == 1);
    BOOST_TEST(log_counts.suppressed.get() == 0U);
}

BOOST_FIXTURE_TEST_CASE(monitor_mode_logs_the_lines_enforcing_would_log, Monitoring) {
    batch(kT0, {test::echo_from("192.0.2.1"), test::echo_from("203.0.113.1"), test::tcp_segment()});
    const std::vector<json> lines = parsed();
    // quiet-drop's "log": false holds for the packets it would have dropped.
    BOOST_REQUIRE(lines.size() == 2U);
    BOOST_TEST(lines[0]["verdict"]["action"] == "accept");
    BOOST_TEST(lines[0]["icmpgate"]["reason"] == "monitor");
    BOOST_TEST(lines[0]["icmpgate"]["monitor"] ==
               json::parse(R"({"scope":"policy","verdict":"accept","reason":"rule","rule":"echo-in"})"));
    BOOST_TEST(lines[1]["icmpgate"]["monitor"]["reason"] == "not-icmp");
    const VerdictCounts c = counters.snapshot();
    BOOST_TEST(c.of(rules::Verdict::accept) == 3U);
    BOOST_TEST(c.of(verdict::Reason::monitor) == 3U);
    BOOST_TEST(c.would_be(rules::Verdict::drop) == 1U);  // quiet-drop
    BOOST_TEST(c.would_be(rules::Verdict::accept) == 2U);
    BOOST_TEST(
        c.would_be_by_reason[verdict_index(rules::Verdict::drop)][static_cast<std::size_t>(verdict::Reason::rule)] ==
        1U);
    // A rule's hits count the packets it would have decided.
    BOOST_TEST(active.rule_hits[0].load() == 1U);
    BOOST_TEST(active.rule_hits[1].load() == 1U);
}

BOOST_AUTO_TEST_CASE(monitor_mode_thins_lines_by_the_would_be_rule_and_reason) {
    // Two lines a second per (rule, reason), as enforcing would: the would-be default drops (v6
    // echo) and the not-icmp lines each have their own budget, not one shared by every line of
    // reason monitor (which would let 2 of the 6 through).
    Monitoring f{2};
    f.batch(kT0, {test::echo6(1), test::echo6(2), test::echo6(3), test::tcp_segment(), test::tcp_segment(),
                  test::tcp_segment()});
    BOOST_TEST(f.out.lines.size() == 4U);
    BOOST_TEST(f.log_counts.suppressed.get() == 2U);
    f.batch(kT0 + kSecond, {});
    const std::vector<json> lines = f.parsed();
    BOOST_REQUIRE(lines.size() == 6U);
    // The summaries name the would-be reasons, one suppressed line each.
    std::vector<std::string> summarised;
    for (std::size_t i = 4; i < 6; ++i) {
        BOOST_TEST(lines[i]["icmpgate"]["event"] == "log_suppressed");
        BOOST_TEST(lines[i]["icmpgate"]["rule"].is_null());
        BOOST_TEST(lines[i]["icmpgate"]["lines_suppressed"] == 1);
        summarised.push_back(lines[i]["icmpgate"]["reason"].get<std::string>());
    }
    std::sort(summarised.begin(), summarised.end());
    BOOST_TEST(summarised == (std::vector<std::string>{"default", "not-icmp"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_wall_clock_is_read_once_per_batch_at_its_first_line) {
    Fixture f{0, true};
    f.batch(kT0, {test::echo_from("192.0.2.1"), test::echo_from("192.0.2.2")});
    f.batch(kT0 + kSecond, {test::echo_from("203.0.113.1")});  // logs nothing: no clock read
    f.batch(kT0 + 2 * kSecond, {test::tcp_segment()});
    BOOST_TEST(g_wall_clock_reads == 2);
    const std::vector<json> lines = f.parsed();
    BOOST_REQUIRE(lines.size() == 3U);
    BOOST_TEST(lines[0]["timestamp"] == lines[1]["timestamp"]);
    BOOST_TEST(lines[0]["timestamp"] == "2025-05-20T10:15:42.000000+0000");
}

BOOST_FIXTURE_TEST_CASE(lines_the_output_refuses_are_counted, Fixture) {
    out.refuse = true;
    batch(kT0, {test::echo_from("192.0.2.1"), test::tcp_segment()});
    BOOST_TEST(out.lines.empty());
    BOOST_TEST(log_counts.refused.get() == 2U);
}

// Two lines a second per (rule, reason): the rest are counted, and the window's summary comes
// before the first line of the next window.
BOOST_FIXTURE_TEST_CASE(suppression_thins_each_key_and_summarises_the_window, Suppressing) {
    std::vector<std::vector<std::uint8_t>> flood;
    for (std::uint16_t i = 0; i < 5; ++i) flood.push_back(test::tcp_segment());
    batch(kT0, flood);
    BOOST_TEST(out.lines.size() == 2U);
    BOOST_TEST(log_counts.suppressed.get() == 3U);
    batch(kT0 + kSecond, {test::tcp_segment()});
    const std::vector<json> lines = parsed();
    BOOST_REQUIRE(lines.size() == 4U);
    BOOST_TEST(lines[2]["event_type"] == "icmpgate");
    BOOST_TEST(lines[2]["icmpgate"]["event"] == "log_suppressed");
    BOOST_TEST(lines[2]["icmpgate"]["reason"] == "not-icmp");
    BOOST_TEST(lines[2]["icmpgate"]["rule"].is_null());
    BOOST_TEST(lines[2]["icmpgate"]["lines_suppressed"] == 3);
    BOOST_TEST(lines[2]["timestamp"] == "2025-05-20T10:15:01.000000+0000");  // the batch's time
    BOOST_TEST(lines[3]["event_type"] == "alert");
}

BOOST_FIXTURE_TEST_CASE(a_window_that_ends_without_traffic_is_summarised_at_a_batch_start, Suppressing) {
    batch(kT0, {test::tcp_segment(), test::tcp_segment(), test::tcp_segment()});
    batch(kT0 + kSecond / 2, {});
    BOOST_TEST(out.lines.size() == 2U);  // the window is still open
    batch(kT0 + 2 * kSecond, {});
    const std::vector<json> lines = parsed();
    BOOST_REQUIRE(lines.size() == 3U);
    BOOST_TEST(lines[2]["icmpgate"]["event"] == "log_suppressed");
    BOOST_TEST(lines[2]["icmpgate"]["lines_suppressed"] == 1);
}

BOOST_FIXTURE_TEST_CASE(finish_summarises_every_window_still_holding_lines, Suppressing) {
    // 3 not-icmp lines; 5 echoes: 2 accepted by the rule (burst 2), 3 rate-limited.
    std::vector<std::vector<std::uint8_t>> packets(3, test::tcp_segment());
    for (int i = 0; i < 5; ++i) packets.push_back(test::echo_from("192.0.2.1"));
    batch(kT0, packets);
    BOOST_TEST(log_counts.suppressed.get() == 2U);  // one not-icmp line, one rate-limit line
    pipeline.finish();
    const std::vector<json> lines = parsed();
    std::uint64_t summarised = 0;
    std::size_t summaries = 0;
    for (const json& l : lines)
        if (l["event_type"] == "icmpgate") {
            ++summaries;
            summarised += l["icmpgate"]["lines_suppressed"].get<std::uint64_t>();
        }
    BOOST_TEST(summaries == 2U);
    BOOST_TEST(summarised == log_counts.suppressed.get());
    // Every packet is in the log, as a line or in a summary.
    BOOST_TEST(lines.size() - summaries + summarised == 8U);
    BOOST_TEST(out.one_newline_each);  // the summaries too
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::pipeline
