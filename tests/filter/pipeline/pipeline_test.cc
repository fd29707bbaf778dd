#include "filter/pipeline/pipeline.h"

#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/filter/pipeline/pipeline_fixture.h"

namespace icmpgate::pipeline {
namespace {

using rules::Verdict;
using verdict::Reason;

PacketInput input_of(const std::vector<std::uint8_t>& bytes, std::int64_t now_ns) {
    PacketInput input;
    input.l3 = decode::Bytes{bytes.data(), bytes.size()};
    input.meta.now_ns = now_ns;
    return input;
}

struct Fixture {
    ActivePolicy active{test::compiled_policy(), 0};
    VerdictCounters counters;
    Pipeline pipeline{counters};
    test::CallRecorder recorder;
    Fixture() { pipeline.add_sink(recorder); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(pipeline)

BOOST_FIXTURE_TEST_CASE(each_packet_is_decided_counted_and_shown_to_the_sinks, Fixture) {
    const auto in = test::echo_from("192.0.2.1");
    const auto quiet = test::echo_from("203.0.113.1");
    const auto bad = test::bad_checksum_echo();
    const auto tcp = test::tcp_segment();
    const auto pmtu = test::frag_needed();
    const auto v6 = test::echo6();
    pipeline.begin_batch(active, 1'000);
    BOOST_TEST((pipeline.process(input_of(in, 1'000)).reason == Reason::rule));
    BOOST_TEST((pipeline.process(input_of(quiet, 1'000)).verdict == Verdict::drop));
    BOOST_TEST((pipeline.process(input_of(bad, 1'000)).reason == Reason::anomaly));
    BOOST_TEST((pipeline.process(input_of(tcp, 1'000)).reason == Reason::not_icmp));
    BOOST_TEST((pipeline.process(input_of(pmtu, 1'000)).reason == Reason::protected_type));
    BOOST_TEST((pipeline.process(input_of(v6, 1'000)).reason == Reason::default_verdict));
    pipeline.end_batch();

    const VerdictCounts c = counters.snapshot();
    BOOST_TEST(c.total() == 6U);
    BOOST_TEST(c.of(Verdict::accept) == 3U);  // echo-in, not-icmp, protected
    BOOST_TEST(c.of(Verdict::drop) == 3U);    // quiet-drop, bad checksum, default
    BOOST_TEST(c.of(Reason::rule) == 2U);
    BOOST_TEST(c.by_reason[verdict_index(Verdict::drop)][static_cast<std::size_t>(Reason::rule)] == 1U);
    BOOST_TEST(c.of(decode::Anomaly::bad_checksum) == 1U);
    BOOST_TEST(c.by_family[verdict_index(Verdict::accept)][0] == 3U);  // IPv4
    BOOST_TEST(c.by_family[verdict_index(Verdict::drop)][1] == 1U);    // IPv6
    BOOST_TEST(active.rule_hits[0].load() == 1U);
    BOOST_TEST(active.rule_hits[1].load() == 1U);

    const std::vector<std::string> expected{"begin 1000",      "packet rule",      "packet rule",    "packet anomaly",
                                            "packet not-icmp", "packet protected", "packet default", "end"};
    BOOST_TEST(recorder.calls == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(a_frame_without_ip_is_not_icmp_and_has_no_family, Fixture) {
    PacketInput arp;
    arp.carries_ip = false;
    pipeline.begin_batch(active, 0);
    const verdict::Decision d = pipeline.process(arp);
    BOOST_TEST((d.verdict == Verdict::accept && d.reason == Reason::not_icmp));
    const VerdictCounts c = counters.snapshot();
    BOOST_TEST(c.total() == 1U);
    BOOST_TEST(c.by_family[0][0] + c.by_family[0][1] + c.by_family[1][0] + c.by_family[1][1] == 0U);
}

BOOST_FIXTURE_TEST_CASE(the_limiters_run_on_the_inputs_clock, Fixture) {
    const auto in = test::echo_from("192.0.2.1");
    pipeline.begin_batch(active, 0);
    for (int i = 0; i < 3; ++i) (void)pipeline.process(input_of(in, 0));  // burst 2: the third is limited
    pipeline.begin_batch(active, 1'000'000'000);
    (void)pipeline.process(input_of(in, 1'000'000'000));  // a second later: 2 tokens again
    const VerdictCounts c = counters.snapshot();
    BOOST_TEST(c.of(Reason::rate_limit) == 1U);
    BOOST_TEST(c.of(Reason::rule) == 3U);
}

BOOST_FIXTURE_TEST_CASE(finish_reaches_every_sink_once_the_source_ended, Fixture) {
    test::CallRecorder second;
    pipeline.add_sink(second);
    pipeline.finish();  // no batch yet: nothing held back, no sink called
    BOOST_TEST(recorder.calls.empty());
    pipeline.begin_batch(active, 5);
    pipeline.end_batch();
    pipeline.finish();
    const std::vector<std::string> expected{"begin 5", "end", "finish"};
    BOOST_TEST(recorder.calls == expected, boost::test_tools::per_element());
    BOOST_TEST(second.calls == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(a_fifth_sink_is_refused, Fixture) {
    test::CallRecorder more[4];
    for (int i = 0; i < 3; ++i) pipeline.add_sink(more[i]);
    BOOST_CHECK_THROW(pipeline.add_sink(more[3]), std::length_error);
}

BOOST_AUTO_TEST_CASE(verdict_counts_add_up_per_verdict_reason_and_in_sums) {
    VerdictCounts a;
    a.by_reason[0][static_cast<std::size_t>(Reason::rule)] = 2;
    a.by_reason[1][static_cast<std::size_t>(Reason::anomaly)] = 3;
    a.by_anomaly[static_cast<std::size_t>(decode::Anomaly::truncated)] = 3;
    VerdictCounts b = a;
    b.by_reason[1][static_cast<std::size_t>(Reason::rule)] = 1;
    a += b;
    BOOST_TEST(a.of(Reason::rule) == 5U);
    BOOST_TEST(a.of(Verdict::accept) == 4U);
    BOOST_TEST(a.of(Verdict::drop) == 7U);
    BOOST_TEST(a.total() == 11U);
    BOOST_TEST(a.of(decode::Anomaly::truncated) == 6U);
}

BOOST_AUTO_TEST_CASE(a_monitor_rule_that_matches_is_a_would_be_and_a_hit_of_its_own) {
    ActivePolicy active{test::compiled_policy(R"({
      "version": 1, "default_verdict": "accept",
      "rules": [
        { "id": "try-drop-echo", "match": { "type": "echo-request" }, "verdict": "drop", "mode": "monitor" }
      ]
    })"),
                        0};
    VerdictCounters counters;
    Pipeline pipeline{counters};
    const auto echo = test::echo_from("192.0.2.1");
    pipeline.begin_batch(active, 0);
    const verdict::Decision d = pipeline.process(input_of(echo, 0));
    pipeline.end_batch();
    BOOST_TEST((d.verdict == Verdict::accept && d.reason == Reason::default_verdict));
    BOOST_REQUIRE(d.would_be.has_value());
    BOOST_TEST((d.would_be->verdict == Verdict::drop && d.would_be->rule == rules::RuleIndex{0}));
    const VerdictCounts c = counters.snapshot();
    BOOST_TEST(c.of(Reason::default_verdict) == 1U);
    BOOST_TEST(c.would_be(Verdict::drop) == 1U);
    BOOST_TEST(active.rule_hits[0].load() == 1U);
}

BOOST_AUTO_TEST_CASE(monitor_enforcement_accepts_what_the_policy_drops) {
    ActivePolicy active{test::compiled_policy(), 0};
    VerdictCounters counters;
    Pipeline pipeline{counters, Enforcement::monitor};
    const auto bad = test::bad_checksum_echo();
    pipeline.begin_batch(active, 0);
    const verdict::Decision d = pipeline.process(input_of(bad, 0));
    pipeline.end_batch();
    BOOST_TEST((d.verdict == Verdict::accept && d.reason == Reason::monitor));
    BOOST_REQUIRE(d.would_be.has_value());
    BOOST_TEST((d.would_be->verdict == Verdict::drop && d.would_be->reason == Reason::anomaly &&
                d.would_be->anomaly == decode::Anomaly::bad_checksum));
    const VerdictCounts c = counters.snapshot();
    BOOST_TEST(c.of(Verdict::drop) == 0U);
    BOOST_TEST(c.would_be_by_anomaly[static_cast<std::size_t>(decode::Anomaly::bad_checksum)] == 1U);
    BOOST_TEST(c.of(decode::Anomaly::bad_checksum) == 0U);  // no anomaly decided the verdict given
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::pipeline
