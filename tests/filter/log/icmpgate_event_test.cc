#include "filter/log/icmpgate_event.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>

#include "filter/log/log_suppressor.h"

namespace icmpgate::log {
namespace {

constexpr std::int64_t kMay20At101502 = 1'747'736'102'123'456'789;  // 2025-05-20T10:15:02.123456789Z

}  // namespace

BOOST_AUTO_TEST_SUITE(icmpgate_event)

BOOST_AUTO_TEST_CASE(log_gap_is_an_icmpgate_event_with_its_count_and_reason) {
    std::array<char, 256> out{};
    const std::size_t n = format_log_gap(kMay20At101502, 17, LineLoss::queue_full, out);
    BOOST_TEST(std::string(out.data(), n) ==
               R"({"timestamp":"2025-05-20T10:15:02.123456+0000","event_type":"icmpgate",)"
               R"("icmpgate":{"log_version":2,"event":"log_gap","lines_dropped":17,"reason":"queue-full"}})");
}

BOOST_AUTO_TEST_CASE(log_gap_that_does_not_fit_is_empty) {
    std::array<char, 40> out{};
    BOOST_TEST(format_log_gap(kMay20At101502, 1, LineLoss::write_error, out) == 0U);
}

BOOST_AUTO_TEST_CASE(lost_line_reasons_are_spelled_as_the_other_labels) {
    BOOST_TEST(line_loss_name(LineLoss::queue_full) == "queue-full");
    BOOST_TEST(line_loss_name(LineLoss::too_long) == "too-long");
    BOOST_TEST(line_loss_name(LineLoss::write_error) == "write-error");
}

BOOST_AUTO_TEST_CASE(log_suppressed_names_the_rule_and_reason) {
    std::array<char, 512> out{};
    SuppressionSummary summary;
    summary.key = {3, verdict::Reason::rate_limit, decode::Anomaly::truncated};
    summary.suppressed = 250;
    const std::size_t n = format_suppression_summary(summary, "v4-echo-request", kMay20At101502, out);
    BOOST_TEST(std::string(out.data(), n) ==
               R"({"timestamp":"2025-05-20T10:15:02.123456+0000","event_type":"icmpgate",)"
               R"("icmpgate":{"log_version":2,"event":"log_suppressed","rule":"v4-echo-request",)"
               R"("reason":"rate-limit","lines_suppressed":250}})");
}

BOOST_AUTO_TEST_CASE(log_suppressed_of_an_anomaly_has_a_null_rule) {
    std::array<char, 512> out{};
    SuppressionSummary summary;
    summary.key = {UINT32_MAX, verdict::Reason::anomaly, decode::Anomaly::bad_checksum};
    summary.suppressed = 1;
    const std::size_t n = format_suppression_summary(summary, "", kMay20At101502, out);
    BOOST_TEST(std::string(out.data(), n) ==
               R"({"timestamp":"2025-05-20T10:15:02.123456+0000","event_type":"icmpgate",)"
               R"("icmpgate":{"log_version":2,"event":"log_suppressed","rule":null,)"
               R"("reason":"anomaly:bad-checksum","lines_suppressed":1}})");
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::log
