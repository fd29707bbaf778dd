#include "filter/verdict/decision.h"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace icmpgate::verdict {
namespace {

// docs/log-format.md, found from this file's path (tests/filter/verdict/).
std::string log_format_doc() {
    const std::filesystem::path root =
        std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
    std::ifstream in(root / "docs" / "log-format.md");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The field table's row for `field` ("| `icmpgate.reason` | ..."), or "".
std::string field_row(const std::string& doc, const std::string& field) {
    const std::size_t at = doc.find("| `" + field + "` |");
    if (at == std::string::npos) return {};
    return doc.substr(at, doc.find('\n', at) - at);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decision)

// The names are the log's, the metrics' label values and the stats event's keys: an interface.
BOOST_AUTO_TEST_CASE(reasons_are_named_as_the_log_spells_them) {
    BOOST_TEST(reason_name(Reason::rule) == "rule");
    BOOST_TEST(reason_name(Reason::default_verdict) == "default");
    BOOST_TEST(reason_name(Reason::protected_type) == "protected");
    BOOST_TEST(reason_name(Reason::rate_limit) == "rate-limit");
    BOOST_TEST(reason_name(Reason::anomaly) == "anomaly");
    BOOST_TEST(reason_name(Reason::not_icmp) == "not-icmp");
    BOOST_TEST(reason_name(Reason::monitor) == "monitor");
    BOOST_TEST(kReasonCount == 7U);
}

BOOST_AUTO_TEST_CASE(anomalies_rank_above_other_drops_and_accepts_below_both) {
    BOOST_TEST(reason_info(Reason::anomaly).drop_severity == 1U);
    BOOST_TEST(reason_info(Reason::rate_limit).drop_severity == 2U);
    BOOST_TEST(reason_info(Reason::default_verdict).drop_severity == 2U);
    BOOST_TEST(kAcceptSeverity == 3U);
    BOOST_TEST(reason_info(Reason::anomaly).alert_category == "icmp-anomaly");
    BOOST_TEST(reason_info(Reason::rate_limit).alert_category == "icmp-rate-limit");
    BOOST_TEST(reason_info(Reason::rule).alert_category == "icmp-policy");
}

// A reason added to the table is documented where an admin reads the log.
BOOST_AUTO_TEST_CASE(every_reason_and_category_is_in_the_log_format_doc) {
    const std::string doc = log_format_doc();
    const std::string reason_row = field_row(doc, "icmpgate.reason");
    const std::string category_row = field_row(doc, "alert.category");
    BOOST_REQUIRE(!reason_row.empty());
    BOOST_REQUIRE(!category_row.empty());
    for (const ReasonInfo& info : kReasons) {
        const std::string logged =
            info.reason == Reason::anomaly ? "\"anomaly:<name>\"" : "\"" + std::string{info.name} + "\"";
        BOOST_TEST(reason_row.find(logged) != std::string::npos, logged << " in icmpgate.reason's row");
        const std::string category = "\"" + std::string{info.alert_category} + "\"";
        BOOST_TEST(category_row.find(category) != std::string::npos, category << " in alert.category's row");
    }
}

BOOST_AUTO_TEST_CASE(run_monitor_accepts_and_keeps_the_policy_decision_as_the_would_be) {
    Decision rate_limited;
    rate_limited.verdict = rules::Verdict::drop;
    rate_limited.reason = Reason::rate_limit;
    rate_limited.rule = 3;
    rate_limited.limiter = 1;
    rate_limited.would_be = Outcome{};  // a monitor rule's: gives way to the policy's decision
    const Decision d = monitored(rate_limited);
    BOOST_TEST((d.verdict == rules::Verdict::accept));
    BOOST_TEST((d.reason == Reason::monitor));
    BOOST_TEST(!d.rule.has_value());
    BOOST_TEST(!d.limiter.has_value());
    BOOST_REQUIRE(d.would_be.has_value());
    BOOST_TEST((*d.would_be == static_cast<const Outcome&>(rate_limited)));
    BOOST_TEST((policy_outcome(d) == static_cast<const Outcome&>(rate_limited)));
}

BOOST_AUTO_TEST_CASE(the_policy_outcome_of_an_enforced_decision_is_the_decision) {
    Decision d;
    d.verdict = rules::Verdict::accept;
    d.reason = Reason::rule;
    d.rule = 1;
    Outcome monitor_rule;
    monitor_rule.verdict = rules::Verdict::drop;
    monitor_rule.reason = Reason::rule;
    monitor_rule.rule = 0;
    d.would_be = monitor_rule;  // a rule in monitor mode: the enforced decision is still the policy's
    BOOST_TEST((policy_outcome(d) == static_cast<const Outcome&>(d)));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::verdict
