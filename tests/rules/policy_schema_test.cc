// docs/policy.schema.json lists names for editors; it must list exactly the names the
// loader accepts, so the two cannot drift.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "filter/decode/anomaly.h"
#include "filter/decode/icmp_catalogue.h"
#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

nlohmann::json schema() {
    std::ifstream in(test::repository_root() / "docs/policy.schema.json");
    return nlohmann::json::parse(in);
}

std::set<std::string> strings_of(const nlohmann::json& array) {
    std::set<std::string> out;
    for (const auto& v : array) out.insert(v.get<std::string>());
    return out;
}

BOOST_AUTO_TEST_SUITE(policy_schema)

BOOST_AUTO_TEST_CASE(schema_type_names_are_the_catalogue_type_names) {
    std::set<std::string> catalogue;
    for (const decode::IcmpTypeName& row : decode::icmp_type_names()) catalogue.emplace(row.name);
    BOOST_TEST(strings_of(schema()["definitions"]["typeName"]["enum"]) == catalogue, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(schema_code_names_are_the_catalogue_code_names) {
    std::set<std::string> catalogue;
    for (const decode::IcmpCodeName& row : decode::icmp_code_names()) catalogue.emplace(row.name);
    BOOST_TEST(strings_of(schema()["definitions"]["codeName"]["enum"]) == catalogue, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(schema_anomalies_are_the_anomaly_table) {
    std::set<std::string> table;
    for (const decode::AnomalyInfo& info : decode::kAnomalies) table.emplace(info.name);
    const nlohmann::json document = schema();
    std::set<std::string> listed;
    for (const auto& [name, value] : document["properties"]["anomalies"]["properties"].items()) listed.insert(name);
    BOOST_TEST(listed == table, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
