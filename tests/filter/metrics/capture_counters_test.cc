// The evidence captures' counters in both periodic outputs: the stats event's
// stats.icmpgate.capture object and the Prometheus families, named by capture::kCaptureCounters.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "filter/metrics/prometheus_text.h"
#include "filter/metrics/stats_event.h"
#include "tests/filter/metrics/snapshot_fixture.h"

namespace icmpgate::metrics {
namespace {

constexpr std::size_t kRoomy = 1U << 20U;

StatsSnapshot with_capture() {
    StatsSnapshot s = test::sample_snapshot();
    capture::CaptureCounts c;
    c[capture::CaptureCounter::written] = 120;
    c[capture::CaptureCounter::dropped_queue_full] = 3;
    c[capture::CaptureCounter::dropped_write_error] = 4;
    c[capture::CaptureCounter::write_errors] = 1;
    c[capture::CaptureCounter::files_opened] = 12;
    c[capture::CaptureCounter::files_removed] = 2;
    s.capture = c;
    return s;
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_counters)

BOOST_AUTO_TEST_CASE(the_stats_event_has_every_capture_counter_by_its_table_name) {
    const nlohmann::json e = nlohmann::json::parse(format_stats_event(with_capture(), kRoomy));
    const nlohmann::json expected = {{"written", 120},    {"dropped_queue_full", 3}, {"dropped_write_error", 4},
                                     {"write_errors", 1}, {"files_opened", 12},      {"files_removed", 2}};
    BOOST_TEST(e["stats"]["icmpgate"]["capture"] == expected);
}

BOOST_AUTO_TEST_CASE(without_captures_the_stats_event_has_no_capture_object) {
    const nlohmann::json e = nlohmann::json::parse(format_stats_event(test::sample_snapshot(), kRoomy));
    BOOST_TEST(!e["stats"]["icmpgate"].contains("capture"));
    BOOST_TEST(e["stats"].contains("capture"));  // Suricata's own capture counters stay
}

BOOST_AUTO_TEST_CASE(the_metrics_have_one_family_per_name_with_reason_labels_for_drops) {
    const std::string text = format_prometheus_text(with_capture());
    BOOST_TEST(has_line(text, "icmpgate_capture_packets_written_total 120"));
    BOOST_TEST(has_line(text, "icmpgate_capture_packets_dropped_total{reason=\"queue-full\"} 3"));
    BOOST_TEST(has_line(text, "icmpgate_capture_packets_dropped_total{reason=\"write-error\"} 4"));
    BOOST_TEST(has_line(text, "icmpgate_capture_write_errors_total 1"));
    BOOST_TEST(has_line(text, "icmpgate_capture_files_opened_total 12"));
    BOOST_TEST(has_line(text, "icmpgate_capture_files_removed_total 2"));
    BOOST_TEST(has_line(text, "# TYPE icmpgate_capture_packets_dropped_total counter"));
    // One HELP/TYPE header for the two-series family.
    std::size_t headers = 0;
    for (std::size_t at = text.find("# TYPE icmpgate_capture_packets_dropped_total"); at != std::string::npos;
         at = text.find("# TYPE icmpgate_capture_packets_dropped_total", at + 1))
        ++headers;
    BOOST_TEST(headers == 1U);
}

BOOST_AUTO_TEST_CASE(without_captures_there_are_no_capture_metrics) {
    BOOST_TEST(format_prometheus_text(test::sample_snapshot()).find("icmpgate_capture_") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::metrics
