#include "filter/compare/policy_comparison.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/pipeline.h"
#include "rules/policy_loader.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::compare {
namespace {

using rules::Verdict;
using Packet = std::vector<std::uint8_t>;

constexpr std::int64_t kSecond = 1'000'000'000;

std::shared_ptr<const rules::CompiledPolicy> policy(const std::string& text) {
    const rules::LoadResult loaded = rules::load_policy_text(text, "compare-test.json");
    BOOST_REQUIRE_MESSAGE(loaded.ok(), (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string()));
    return loaded.policy;
}

// A policy of these rules (JSON text of the "rules" array) and limiters, default drop.
std::string with_rules(const std::string& rules, const std::string& rate_limits = "{}") {
    return R"({"version": 1, "default_verdict": "drop", "rate_limits": )" + rate_limits + R"(, "rules": )" + rules +
           "}";
}

Packet echo_from(const char* source, std::uint16_t seq = 1) {
    return test::PacketBuilder::ipv4(source, "198.51.100.1").echo_request(7, seq).build();
}

class KeptDifferences final : public DifferenceSink {
public:
    void write(const Difference& difference) override { kept.push_back(difference); }
    std::vector<Difference> kept;
};

// The new policy in a pipeline, the old one in its comparison sink; each packet is one frame of
// a capture (numbered from 1) at its own time.
struct Comparison {
    Comparison(const std::string& old_text, const std::string& new_text)
        : old_policy{policy(old_text)}, active{policy(new_text), 0}, sink{*old_policy, differences} {
        pipeline.add_sink(sink);
    }

    void frame(const Packet& bytes, std::int64_t now_ns) {
        pipeline::PacketInput input;
        input.l3 = decode::Bytes{bytes.data(), bytes.size()};
        input.meta.now_ns = now_ns;
        input.origin.capture = log::ReplayContext{++frames, "compare-test.pcap"};
        pipeline.begin_batch(active, now_ns);
        static_cast<void>(pipeline.process(input));
        pipeline.end_batch();
    }

    std::shared_ptr<const rules::CompiledPolicy> old_policy;
    pipeline::ActivePolicy active;
    pipeline::VerdictCounters counters;
    pipeline::Pipeline pipeline{counters};
    KeptDifferences differences;
    ComparisonSink sink;
    std::uint64_t frames{0};
};

const std::string kAcceptEcho =
    with_rules(R"([{"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept"}])");
const std::string kDropEcho = with_rules(R"([{"id": "echo", "match": {"type": "echo-request"}, "verdict": "drop"}])");

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_comparison)

BOOST_AUTO_TEST_CASE(the_same_policy_gives_no_difference_and_counts_every_frame) {
    Comparison c{kAcceptEcho, kAcceptEcho};
    c.frame(echo_from("192.0.2.1"), 0);
    c.frame(test::PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").tcp(40000, 443).build(), 1);
    BOOST_TEST(c.differences.kept.empty());
    BOOST_TEST(c.sink.tally().packets == 2U);
    BOOST_TEST(c.sink.tally().differing == 0U);
    BOOST_TEST(c.sink.tally().by_decider().empty());
    BOOST_TEST(c.sink.tally().by_verdict_changes().empty());
}

BOOST_AUTO_TEST_CASE(a_changed_verdict_is_reported_with_both_outcomes_and_the_frame) {
    Comparison c{kAcceptEcho, kDropEcho};
    c.frame(test::PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").tcp(40000, 443).build(), 5);
    c.frame(echo_from("192.0.2.1"), 7 * kSecond);
    BOOST_REQUIRE(c.differences.kept.size() == 1U);
    const Difference& d = c.differences.kept[0];
    BOOST_TEST(d.frame == 2U);
    BOOST_TEST(d.time_ns == 7 * kSecond);
    BOOST_TEST(d.packet.icmp_type == 8U);
    BOOST_TEST((d.old_outcome.verdict == Verdict::accept));
    BOOST_TEST(d.old_outcome.reason == "rule");
    BOOST_TEST(d.old_outcome.rule.value_or("") == "echo");
    BOOST_TEST(d.old_outcome.decided_by == "echo");
    BOOST_TEST((d.new_outcome.verdict == Verdict::drop));
    BOOST_TEST(d.new_outcome.reason == "rule");
    BOOST_TEST(d.new_outcome.rule.value_or("") == "echo");
    BOOST_TEST(!d.new_outcome.limiter.has_value());
    const ComparisonTally& t = c.sink.tally();
    BOOST_TEST(t.packets == 2U);
    BOOST_TEST(t.differing == 1U);
    BOOST_TEST(t.by_verdict[0][1] == 1U);  // accept -> drop
    BOOST_TEST(t.by_verdict[0][0] + t.by_verdict[1][0] + t.by_verdict[1][1] == 0U);
}

BOOST_AUTO_TEST_CASE(the_same_verdict_for_another_reason_is_a_difference) {
    // Old: the rule drops echo; new: no rule, the default drops it.
    Comparison c{kDropEcho, with_rules("[]")};
    c.frame(echo_from("192.0.2.1"), 0);
    BOOST_REQUIRE(c.differences.kept.size() == 1U);
    const Difference& d = c.differences.kept[0];
    BOOST_TEST((d.old_outcome.verdict == Verdict::drop && d.new_outcome.verdict == Verdict::drop));
    BOOST_TEST(d.old_outcome.reason == "rule");
    BOOST_TEST(d.new_outcome.reason == "default");
    BOOST_TEST(!d.new_outcome.rule.has_value());
    BOOST_TEST(d.new_outcome.decided_by == "default");
    BOOST_TEST(c.sink.tally().by_verdict[1][1] == 1U);  // drop -> drop
}

BOOST_AUTO_TEST_CASE(the_same_verdict_and_reason_from_another_rule_is_a_difference) {
    Comparison c{kAcceptEcho,
                 with_rules(R"([{"id": "ping", "match": {"type": "echo-request"}, "verdict": "accept"}])")};
    c.frame(echo_from("192.0.2.1"), 0);
    BOOST_REQUIRE(c.differences.kept.size() == 1U);
    BOOST_TEST(c.differences.kept[0].old_outcome.decided_by == "echo");
    BOOST_TEST(c.differences.kept[0].new_outcome.decided_by == "ping");
}

BOOST_AUTO_TEST_CASE(a_rule_moved_to_another_place_in_the_policy_is_no_difference) {
    // Rules are told apart by id, not by index: a rule inserted before "echo" changes nothing for echo.
    Comparison c{kAcceptEcho,
                 with_rules(R"([{"id": "tstamp", "match": {"type": "timestamp-request"}, "verdict": "drop"},
                                             {"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept"}])")};
    c.frame(echo_from("192.0.2.1"), 0);
    BOOST_TEST(c.differences.kept.empty());
}

BOOST_AUTO_TEST_CASE(an_anomaly_accepted_instead_of_dropped_is_a_difference) {
    // A truncated packet (Total Length beyond its bytes): the truncated anomaly decides in both,
    // dropped by default in the old policy, accepted in the new.
    const Packet cut =
        test::PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").echo_request(7, 1).total_length(200).build();
    const std::string rules = R"([{"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept"}])";
    Comparison c{
        with_rules(rules),
        R"({"version": 1, "default_verdict": "drop", "anomalies": {"truncated": "accept"}, "rules": )" + rules + "}"};
    c.frame(cut, 0);
    BOOST_REQUIRE(c.differences.kept.size() == 1U);
    const Difference& d = c.differences.kept[0];
    BOOST_TEST((d.old_outcome.verdict == Verdict::drop && d.new_outcome.verdict == Verdict::accept));
    BOOST_TEST(d.old_outcome.reason == "anomaly:truncated");
    BOOST_TEST(d.new_outcome.reason == "anomaly:truncated");
    BOOST_TEST(d.old_outcome.decided_by == "anomaly:truncated");
    BOOST_TEST(!d.old_outcome.rule.has_value());
}

BOOST_AUTO_TEST_CASE(each_policy_has_its_own_limiters_on_the_packets_clock) {
    // The same rate-limited policy on both sides: had the two shared a bucket, the second
    // policy would find it emptied by the first and differ from the third packet on.
    const std::string limited = with_rules(
        R"([{"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept", "rate_limit": "burst2"}])",
        R"({"burst2": {"rate": 1, "burst": 2}})");
    Comparison c{limited, limited};
    for (std::uint16_t seq = 1; seq <= 5; ++seq) c.frame(echo_from("192.0.2.1", seq), seq);
    BOOST_TEST(c.differences.kept.empty());
    BOOST_TEST(c.counters.snapshot().of(verdict::Reason::rate_limit) == 3U);  // the new side: 2 accepted, 3 limited
}

BOOST_AUTO_TEST_CASE(a_limit_only_the_old_policy_has_shows_when_its_bucket_is_empty) {
    const std::string limited = with_rules(
        R"([{"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept", "rate_limit": "burst2"}])",
        R"({"burst2": {"rate": 1, "burst": 2}})");
    Comparison c{limited, kAcceptEcho};
    // Three echoes within a millisecond (the third finds the bucket empty), then one 2 s later (refilled).
    c.frame(echo_from("192.0.2.1", 1), 0);
    c.frame(echo_from("192.0.2.1", 2), 1'000);
    c.frame(echo_from("192.0.2.1", 3), 2'000);
    c.frame(echo_from("192.0.2.1", 4), 2 * kSecond);
    BOOST_REQUIRE(c.differences.kept.size() == 1U);
    const Difference& d = c.differences.kept[0];
    BOOST_TEST(d.frame == 3U);
    BOOST_TEST((d.old_outcome.verdict == Verdict::drop));
    BOOST_TEST(d.old_outcome.reason == "rate-limit");
    BOOST_TEST(d.old_outcome.rule.value_or("") == "echo");
    BOOST_TEST(d.old_outcome.limiter.value_or("") == "burst2");
    BOOST_TEST(d.old_outcome.decided_by == "rate-limit:echo");
    BOOST_TEST(d.new_outcome.decided_by == "echo");
}

BOOST_AUTO_TEST_CASE(another_limiter_with_the_same_rule_and_reason_is_no_difference) {
    // The limiter is shown, not compared: the verdict, the reason and the rule are the same.
    const std::string rule =
        R"([{"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept", "rate_limit": ")";
    Comparison c{with_rules(rule + R"(a"}])", R"({"a": {"rate": 1, "burst": 1}})"),
                 with_rules(rule + R"(b"}])", R"({"b": {"rate": 1, "burst": 1}})")};
    c.frame(echo_from("192.0.2.1", 1), 0);
    c.frame(echo_from("192.0.2.1", 2), 1'000);
    BOOST_TEST(c.differences.kept.empty());
    BOOST_TEST(c.counters.snapshot().of(verdict::Reason::rate_limit) == 1U);
}

BOOST_AUTO_TEST_CASE(changes_are_listed_most_frames_first_then_in_the_order_first_seen) {
    // Old accepts echo from 192.0.2.0/24 only (rule "lan"); new accepts every echo (rule "all")
    // and drops timestamp requests by rule.
    Comparison c{
        with_rules(
            R"([{"id": "lan", "match": {"type": "echo-request", "source": "192.0.2.0/24"}, "verdict": "accept"}])"),
        with_rules(R"([{"id": "all", "match": {"type": "echo-request"}, "verdict": "accept"},
                                {"id": "tstamp", "match": {"type": "timestamp-request"}, "verdict": "drop"}])")};
    const Packet timestamp = test::PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").icmp(13, 0).build();
    c.frame(timestamp, 0);                 // default -> tstamp (drop -> drop)
    c.frame(echo_from("192.0.2.1"), 1);    // lan -> all (accept -> accept)
    c.frame(echo_from("203.0.113.1"), 2);  // default -> all (drop -> accept)
    c.frame(echo_from("203.0.113.2"), 3);  // default -> all
    const std::vector<Change<std::string>> by_rule = c.sink.tally().by_decider();
    BOOST_REQUIRE(by_rule.size() == 3U);
    BOOST_TEST((by_rule[0].old_side == "default" && by_rule[0].new_side == "all" && by_rule[0].packets == 2U));
    BOOST_TEST((by_rule[1].old_side == "default" && by_rule[1].new_side == "tstamp" && by_rule[1].packets == 1U));
    BOOST_TEST((by_rule[2].old_side == "lan" && by_rule[2].new_side == "all" && by_rule[2].packets == 1U));
    const std::vector<Change<Verdict>> by_verdict = c.sink.tally().by_verdict_changes();
    BOOST_REQUIRE(by_verdict.size() == 3U);
    BOOST_TEST((by_verdict[0].old_side == Verdict::drop && by_verdict[0].new_side == Verdict::accept &&
                by_verdict[0].packets == 2U));
    BOOST_TEST((by_verdict[1].old_side == Verdict::accept && by_verdict[1].new_side == Verdict::accept));
    BOOST_TEST((by_verdict[2].old_side == Verdict::drop && by_verdict[2].new_side == Verdict::drop));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::compare
