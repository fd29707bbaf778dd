#include "filter/metrics/stats_event.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/filter/metrics/snapshot_fixture.h"

namespace icmpgate::metrics {
namespace {

constexpr std::size_t kRoomy = 8192;

nlohmann::json event() {
    return nlohmann::json::parse(format_stats_event(test::sample_snapshot(), kRoomy));
}

BOOST_AUTO_TEST_SUITE(stats_event)

BOOST_AUTO_TEST_CASE(header_is_eve_stats_with_utc_timestamp_and_the_log_version) {
    const nlohmann::json e = event();
    BOOST_TEST(e["timestamp"] == "2023-11-14T22:15:25.500000+0000");
    BOOST_TEST(e["event_type"] == "stats");
    BOOST_TEST(e["stats"]["uptime"] == 125);
    BOOST_TEST(e["icmpgate"] == nlohmann::json::parse(R"({"log_version":2})"));
    BOOST_TEST(e.size() == 4U);
}

BOOST_AUTO_TEST_CASE(suricata_counters_have_suricatas_names) {
    const nlohmann::json s = event()["stats"];
    // Received from the kernel over both queues; lost in the kernel: queue 4's queue_dropped
    // and user_dropped (queue 5 has no kernel line).
    BOOST_TEST(s["capture"] == nlohmann::json::parse(R"({"kernel_packets":11,"kernel_drops":20})"));
    BOOST_TEST(s["ips"] == nlohmann::json::parse(R"({"accepted":8,"blocked":3})"));
    BOOST_TEST(s.size() == 4U);  // uptime, capture, ips, icmpgate
}

BOOST_AUTO_TEST_CASE(kernel_drops_are_left_out_when_the_kernel_lists_no_queue) {
    StatsSnapshot snapshot = test::sample_snapshot();
    for (QueueStats& q : snapshot.queues) q.kernel.reset();
    const nlohmann::json capture = nlohmann::json::parse(format_stats_event(snapshot, kRoomy))["stats"]["capture"];
    BOOST_TEST(capture == nlohmann::json::parse(R"({"kernel_packets":11})"));
}

BOOST_AUTO_TEST_CASE(totals_sum_every_queue) {
    const nlohmann::json p = event()["stats"]["icmpgate"]["packets"];
    BOOST_TEST(p["received"] == 11);
    BOOST_TEST(p["accepted"] == 8);
    BOOST_TEST(p["dropped"] == 3);
    BOOST_TEST(p["enobufs"] == 1);
    BOOST_TEST(p["malformed"] == 2);
    BOOST_TEST(p["verdict_send_errors"] == 5);
    BOOST_TEST(p["by_reason"]["rule"]["accepted"] == 7);
    BOOST_TEST(p["by_reason"]["default"]["accepted"] == 1);
    BOOST_TEST(p["by_reason"]["rate-limit"]["dropped"] == 2);
    BOOST_TEST(p["by_reason"]["anomaly"]["dropped"] == 1);
    BOOST_TEST(p["by_reason"].size() == verdict::kReasonCount);
    BOOST_TEST(p["by_anomaly"]["bad-checksum"] == 1);
    BOOST_TEST(p["by_anomaly"].size() == decode::kAnomalyCount);
    // Families summed over the queues: 5 + 0 IPv4 and 2 + 1 IPv6 accepted, 3 IPv4 dropped.
    BOOST_TEST(p["by_family"].size() == 2U);
    BOOST_TEST(p["by_family"]["ipv4"]["accepted"] == 5);
    BOOST_TEST(p["by_family"]["ipv4"]["dropped"] == 3);
    BOOST_TEST(p["by_family"]["ipv6"]["accepted"] == 3);
    BOOST_TEST(p["by_family"]["ipv6"]["dropped"] == 0);
    // Monitor mode's would-be outcomes, summed over the queues: 4 + 2 rule drops, 1 anomaly
    // drop (fragment), 3 default accepts.
    BOOST_TEST(p["would_be"].size() == verdict::kReasonCount);
    BOOST_TEST(p["would_be"]["rule"]["dropped"] == 6);
    BOOST_TEST(p["would_be"]["anomaly"]["dropped"] == 1);
    BOOST_TEST(p["would_be"]["default"]["accepted"] == 3);
    BOOST_TEST(p["would_be"]["rule"]["accepted"] == 0);
    BOOST_TEST(p["would_be_by_anomaly"]["fragment"] == 1);
    BOOST_TEST(p["would_be_by_anomaly"]["bad-checksum"] == 0);
    BOOST_TEST(p["would_be_by_anomaly"].size() == decode::kAnomalyCount);
}

BOOST_AUTO_TEST_CASE(each_queue_carries_its_own_and_the_kernel_counters) {
    const nlohmann::json q = event()["stats"]["icmpgate"]["queues"];
    BOOST_TEST(q.size() == 2U);
    BOOST_TEST(q[0]["queue"] == 4);
    BOOST_TEST(q[0]["received"] == 10);
    BOOST_TEST(q[0]["kernel"]["waiting"] == 8);
    BOOST_TEST(q[0]["kernel"]["queue_dropped"] == 9);
    BOOST_TEST(q[0]["kernel"]["user_dropped"] == 11);
    BOOST_TEST(q[0]["by_family"]["ipv6"]["accepted"] == 2);
    BOOST_TEST(q[1]["queue"] == 5);
    BOOST_TEST(q[1]["by_family"]["ipv6"]["accepted"] == 1);
    BOOST_TEST(q[0]["would_be"]["rule"]["dropped"] == 4);
    BOOST_TEST(q[1]["would_be"]["rule"]["dropped"] == 2);
    BOOST_TEST(!q[1].contains("kernel"));
}

BOOST_AUTO_TEST_CASE(bypass_figures_follow_the_queues) {
    const nlohmann::json b = event()["stats"]["icmpgate"]["bypass"];
    BOOST_TEST(b["queue_rules"] == 2);
    BOOST_TEST(b["rules_without_counter"] == 1);
    BOOST_TEST(b["rules_queued"] == 1500);
    BOOST_TEST(b["bypassed"] == 290);
    StatsSnapshot without = test::sample_snapshot();
    without.bypass.reset();
    BOOST_TEST(!nlohmann::json::parse(format_stats_event(without, kRoomy))["stats"]["icmpgate"].contains("bypass"));
}

BOOST_AUTO_TEST_CASE(log_rules_limiters_and_policy_are_reported) {
    const nlohmann::json s = event()["stats"]["icmpgate"];
    BOOST_TEST(s["log"]["written"] == 100);
    BOOST_TEST(s["log"]["dropped_queue_full"] == 4);
    BOOST_TEST(s["log"]["dropped_too_long"] == 0);
    BOOST_TEST(s["log"]["dropped_write_error"] == 6);
    BOOST_TEST(s["log"]["suppressed"] == 13);
    BOOST_TEST(s["log"]["write_errors"] == 2);
    BOOST_TEST(s["log"]["reopens"] == 1);
    BOOST_TEST(s["rules"]["allow-echo"] == 7);
    BOOST_TEST(s["rules"]["we\"ird\\id\n"] == 1);
    BOOST_TEST(s["limiters"]["per-source"]["entries"] == 12);
    BOOST_TEST(s["limiters"]["per-source"]["evictions"] == 3);
    BOOST_TEST(s["limiters"]["per-source"]["rate_limited"] == 2);
    BOOST_TEST(s["limiters"]["global-errors"]["rate_limited"] == 0);
    BOOST_TEST(s["policy"]["digest"] == "sha256:abcd");
    BOOST_TEST(s["policy"]["reloads_succeeded"] == 2);
    BOOST_TEST(s["policy"]["reloads_failed"] == 1);
    BOOST_TEST(s["policy"]["last_reload_successful"] == false);
}

BOOST_AUTO_TEST_CASE(event_is_one_line) {
    const std::string line = format_stats_event(test::sample_snapshot(), kRoomy);
    BOOST_TEST(line.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(event_longer_than_the_limit_is_empty) {
    const std::string full = format_stats_event(test::sample_snapshot(), kRoomy);
    BOOST_TEST(format_stats_event(test::sample_snapshot(), full.size()) == full);
    BOOST_TEST(format_stats_event(test::sample_snapshot(), full.size() - 1).empty());
}

// With nothing to list, every group is still there, empty, in its place; the exact text.
BOOST_AUTO_TEST_CASE(an_empty_snapshot_writes_every_group_in_order) {
    StatsSnapshot empty;
    empty.time_unix_ns = test::kNow;
    empty.start_unix_ns = test::kStart;
    empty.policy.digest = "sha256:00";
    const std::string zero_pair = R"({"accepted":0,"dropped":0})";
    std::string by_reason;
    for (const verdict::ReasonInfo& reason : verdict::kReasons)
        by_reason += (by_reason.empty() ? "" : ",") + ("\"" + std::string{reason.name} + "\":") + zero_pair;
    std::string by_anomaly;
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        by_anomaly += (by_anomaly.empty() ? "" : ",") + ("\"" + std::string{info.name} + "\":0");
    BOOST_TEST(format_stats_event(empty, kRoomy) ==
               R"({"timestamp":"2023-11-14T22:15:25.500000+0000","event_type":"stats","stats":{"uptime":125,)"
               R"("capture":{"kernel_packets":0},"ips":{"accepted":0,"blocked":0},"icmpgate":{"packets":{)"
               R"("received":0,"accepted":0,"dropped":0,"enobufs":0,"malformed":0,"verdict_send_errors":0,)"
               R"("by_reason":{)" +
                   by_reason + R"(},"by_family":{"ipv4":)" + zero_pair + R"(,"ipv6":)" + zero_pair +
                   R"(},"would_be":{)" + by_reason + R"(},"by_anomaly":{)" + by_anomaly +
                   R"(},"would_be_by_anomaly":{)" + by_anomaly +
                   R"(}},"queues":[],"log":{"written":0,"dropped_queue_full":0,"dropped_too_long":0,)"
                   R"("dropped_write_error":0,"suppressed":0,"write_errors":0,"reopens":0},"rules":{},"limiters":{},)"
                   R"("policy":{"digest":"sha256:00","reloads_succeeded":0,"reloads_failed":0,)"
                   R"("last_reload_successful":true}}},"icmpgate":{"log_version":2}})");
}

// The line grows with the policy: a thousand rules, each id cut at the verdict line's bound
// (a loaded policy's ids are never longer).
BOOST_AUTO_TEST_CASE(lists_every_rule_of_a_large_policy_with_ids_at_their_bound) {
    StatsSnapshot snapshot = test::sample_snapshot();
    snapshot.rules.clear();
    for (std::uint64_t i = 0; i < 1000; ++i) snapshot.rules.push_back({"rule-" + std::to_string(i), i});
    snapshot.rules.push_back({std::string(100, 'r'), 5});
    const nlohmann::json rules =
        nlohmann::json::parse(format_stats_event(snapshot, 1U << 20U))["stats"]["icmpgate"]["rules"];
    BOOST_TEST(rules.size() == 1001U);
    BOOST_TEST(rules["rule-999"] == 999);
    BOOST_TEST(rules[std::string(64, 'r')] == 5);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::metrics
