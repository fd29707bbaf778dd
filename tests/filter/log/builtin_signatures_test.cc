#include "filter/log/builtin_signatures.h"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace icmpgate::log {
namespace {

verdict::Decision decision_of(verdict::Reason reason, decode::Anomaly anomaly = decode::Anomaly::truncated) {
    verdict::Decision d;
    d.reason = reason;
    d.anomaly = anomaly;
    return d;
}

// docs/log-format.md, found from this file's path (tests/filter/log/).
std::string log_format_doc() {
    const std::filesystem::path root =
        std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
    std::ifstream in(root / "docs" / "log-format.md");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The table row "| `reason` | ... | id |" of the "Signature ids" table.
bool documented(const std::string& doc, const std::string& reason, std::uint32_t id) {
    const std::string start = "| `" + reason + "` |";
    for (std::size_t at = doc.find(start); at != std::string::npos; at = doc.find(start, at + 1)) {
        const std::string row = doc.substr(at, doc.find('\n', at) - at);
        if (row.find("| " + std::to_string(id) + " |") != std::string::npos) return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(builtin_signatures)

BOOST_AUTO_TEST_CASE(each_reason_and_anomaly_has_its_fixed_id) {
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::not_icmp)) == 2'000'000'001U);
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::default_verdict)) == 2'000'000'002U);
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::protected_type)) == 2'000'000'003U);
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::rate_limit)) == 2'000'000'004U);
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::anomaly, decode::Anomaly::truncated)) ==
               2'000'000'101U);
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::anomaly, decode::Anomaly::unknown_type)) ==
               2'000'000'115U);
    BOOST_TEST(builtin_signature_id(decision_of(verdict::Reason::rule)) == 0U);
}

BOOST_AUTO_TEST_CASE(docs_list_every_fixed_id) {
    const std::string doc = log_format_doc();
    BOOST_TEST_REQUIRE(!doc.empty());
    for (const ReasonSignatureId& row : kReasonSignatureIds)
        BOOST_TEST(documented(doc, std::string{verdict::reason_name(row.reason)}, row.id),
                   verdict::reason_name(row.reason) << " " << row.id);
    for (const AnomalySignatureId& row : kAnomalySignatureIds)
        BOOST_TEST(documented(doc, "anomaly:" + std::string{decode::anomaly_name(row.anomaly)}, row.id),
                   decode::anomaly_name(row.anomaly) << " " << row.id);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::log
