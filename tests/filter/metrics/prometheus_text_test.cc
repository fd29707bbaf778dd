#include "filter/metrics/prometheus_text.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/filter/metrics/snapshot_fixture.h"

namespace icmpgate::metrics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

const std::string& text() {
    static const std::string t = format_prometheus_text(test::sample_snapshot());
    return t;
}

BOOST_AUTO_TEST_SUITE(prometheus_text)

BOOST_AUTO_TEST_CASE(label_values_escape_backslash_quote_and_newline) {
    BOOST_TEST(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    BOOST_TEST(escape_label_value("plain-id") == "plain-id");
}

// One spelling for label values across every metric: the verdict log's (reasons, anomaly
// names, lost-line reasons are all lowercase words joined by '-', never '_').
BOOST_AUTO_TEST_CASE(label_values_are_spelled_as_the_log_spells_them_in_every_metric) {
    std::set<std::string> reasons;
    std::set<std::string> anomalies;
    std::istringstream in(text());
    const std::regex label(R"re(\b(reason|anomaly)="([^"]*)")re");
    for (std::string l; std::getline(in, l);) {
        if (l.starts_with("#")) continue;
        for (std::sregex_iterator it(l.begin(), l.end(), label), end; it != end; ++it)
            ((*it)[1] == "reason" ? reasons : anomalies).insert((*it)[2]);
    }
    const std::set<std::string> expected_reasons{"rule",     "default", "protected",  "rate-limit", "anomaly",
                                                 "not-icmp", "monitor", "queue-full", "too-long",   "write-error"};
    BOOST_TEST(reasons == expected_reasons, boost::test_tools::per_element());
    BOOST_TEST(anomalies.size() == decode::kAnomalyCount);
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        BOOST_TEST(anomalies.count(std::string{info.name}) == 1U);
    for (const std::string& value : reasons) BOOST_TEST(value.find('_') == std::string::npos, value);
}

BOOST_AUTO_TEST_CASE(families_have_help_and_type) {
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_packets_total counter"));
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_rate_limiter_entries gauge"));
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_policy_last_reload_successful gauge"));
    BOOST_TEST(has_line(text(), "# HELP icmpgate_log_lines_written_total Verdict log lines written."));
}

BOOST_AUTO_TEST_CASE(packets_are_split_by_queue_verdict_and_reason) {
    BOOST_TEST(has_line(text(), "icmpgate_packets_total{queue=\"4\",verdict=\"accept\",reason=\"rule\"} 6"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_total{queue=\"4\",verdict=\"drop\",reason=\"rate-limit\"} 2"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_total{queue=\"5\",verdict=\"drop\",reason=\"rule\"} 0"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_received_total{queue=\"4\"} 10"));
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_enobufs_total{queue=\"4\"} 1"));
}

BOOST_AUTO_TEST_CASE(would_be_packets_are_a_series_of_their_own) {
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_packets_would_be_total counter"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_would_be_total{queue=\"4\",verdict=\"drop\",reason=\"rule\"} 4"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_would_be_total{queue=\"5\",verdict=\"drop\",reason=\"rule\"} 2"));
    BOOST_TEST(
        has_line(text(), "icmpgate_packets_would_be_total{queue=\"5\",verdict=\"accept\",reason=\"default\"} 3"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_would_be_total{queue=\"4\",verdict=\"accept\",reason=\"rule\"} 0"));
}

BOOST_AUTO_TEST_CASE(ip_packets_are_split_by_queue_family_and_verdict) {
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_packets_by_family_total counter"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_by_family_total{queue=\"4\",family=\"ipv4\",verdict=\"accept\"} 5"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_by_family_total{queue=\"4\",family=\"ipv6\",verdict=\"accept\"} 2"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_by_family_total{queue=\"4\",family=\"ipv4\",verdict=\"drop\"} 3"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_by_family_total{queue=\"4\",family=\"ipv6\",verdict=\"drop\"} 0"));
    BOOST_TEST(has_line(text(), "icmpgate_packets_by_family_total{queue=\"5\",family=\"ipv6\",verdict=\"accept\"} 1"));
    // Bounded: two families, two verdicts, per queue.
    std::istringstream in(text());
    int samples = 0;
    for (std::string l; std::getline(in, l);)
        if (l.starts_with("icmpgate_packets_by_family_total{")) ++samples;
    BOOST_TEST(samples == 8);
}

BOOST_AUTO_TEST_CASE(kernel_counters_appear_only_for_queues_the_kernel_lists) {
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_queue_dropped_total{queue=\"4\"} 9"));
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_user_dropped_total{queue=\"4\"} 11"));
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_queue_length{queue=\"4\"} 8"));
    BOOST_TEST(text().find("icmpgate_nfqueue_queue_length{queue=\"5\"}") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(queue_rules_and_bypassed_packets_are_reported_without_a_queue_label) {
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_queue_rules 2"));
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_rules_queued_total 1500"));
    BOOST_TEST(has_line(text(), "icmpgate_nfqueue_bypassed_total 290"));
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_nfqueue_bypassed_total counter"));
    StatsSnapshot without = test::sample_snapshot();
    without.bypass.reset();  // the rules could not be read: no series rather than a false 0
    BOOST_TEST(format_prometheus_text(without).find("icmpgate_nfqueue_bypassed_total") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(anomalies_rules_and_limiters_are_labelled) {
    BOOST_TEST(has_line(text(), "icmpgate_anomalies_total{anomaly=\"bad-checksum\"} 1"));
    BOOST_TEST(has_line(text(), "icmpgate_rule_matches_total{rule=\"allow-echo\"} 7"));
    BOOST_TEST(has_line(text(), "icmpgate_rule_matches_total{rule=\"we\\\"ird\\\\id\\n\"} 1"));
    BOOST_TEST(has_line(text(), "icmpgate_rate_limiter_entries{limiter=\"per-source\"} 12"));
    BOOST_TEST(has_line(text(), "icmpgate_rate_limiter_evictions_total{limiter=\"per-source\"} 3"));
    BOOST_TEST(has_line(text(), "# TYPE icmpgate_rate_limited_total counter"));
    BOOST_TEST(has_line(text(), "icmpgate_rate_limited_total{limiter=\"per-source\"} 2"));
    BOOST_TEST(has_line(text(), "icmpgate_rate_limited_total{limiter=\"global-errors\"} 0"));
}

BOOST_AUTO_TEST_CASE(log_and_policy_health_are_reported) {
    BOOST_TEST(has_line(text(), "icmpgate_log_lines_written_total 100"));
    BOOST_TEST(has_line(text(), "icmpgate_log_lines_dropped_total{reason=\"queue-full\"} 4"));
    BOOST_TEST(has_line(text(), "icmpgate_log_lines_dropped_total{reason=\"too-long\"} 0"));
    BOOST_TEST(has_line(text(), "icmpgate_log_lines_dropped_total{reason=\"write-error\"} 6"));
    BOOST_TEST(has_line(text(), "icmpgate_log_lines_suppressed_total 13"));
    BOOST_TEST(has_line(text(), "icmpgate_policy_reloads_total{result=\"success\"} 2"));
    BOOST_TEST(has_line(text(), "icmpgate_policy_reloads_total{result=\"failure\"} 1"));
    BOOST_TEST(has_line(text(), "icmpgate_policy_last_reload_successful 0"));
    BOOST_TEST(has_line(text(), "icmpgate_policy_last_reload_success_timestamp_seconds 1700000060.250000"));
    BOOST_TEST(has_line(text(), "icmpgate_policy_info{digest=\"sha256:abcd\"} 1"));
    BOOST_TEST(has_line(text(), "icmpgate_build_info{version=\"1.2.3\"} 1"));
    BOOST_TEST(has_line(text(), "icmpgate_start_time_seconds 1700000000.000000"));
}

BOOST_AUTO_TEST_CASE(no_log_families_without_a_log) {
    StatsSnapshot s = test::sample_snapshot();
    s.log.enabled = false;
    BOOST_TEST(format_prometheus_text(s).find("icmpgate_log_") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(atomic_write_replaces_the_file_and_leaves_no_temporary) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("icmpgate-prom-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "icmpgate.prom").string();
    write_file_atomically(path, "old\n");
    write_file_atomically(path, "new 1\n");
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    BOOST_TEST(content.str() == "new 1\n");
    BOOST_TEST(!std::filesystem::exists(path + ".tmp"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(atomic_write_into_a_missing_directory_throws) {
    BOOST_CHECK_THROW(write_file_atomically("/nonexistent-icmpgate-dir/x.prom", "x\n"), std::system_error);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::metrics
