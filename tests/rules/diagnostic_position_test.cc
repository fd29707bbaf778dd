// Where each kind of policy diagnostic points: the line and column of the value at fault (of
// the member's name for a wrong key or name), in file order. Expected places are found in the
// test's own text by a plain byte-by-byte count (where() below), independent of the loader's
// position index.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "rules/policy_loader.h"

namespace icmpgate::rules {
namespace {

// "LINE:COL" of the start of the `occurrence`-th `needle` in `text` (1-based, columns in bytes).
std::string where(std::string_view text, std::string_view needle, std::size_t occurrence = 0) {
    std::size_t at = text.find(needle);
    for (std::size_t i = 0; i < occurrence && at != std::string_view::npos; ++i) at = text.find(needle, at + 1);
    if (at == std::string_view::npos) return "needle not found: " + std::string(needle);
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

struct Place {
    std::string_view needle;  // the text the diagnostic must point at
    std::size_t occurrence;   // which occurrence of it (0: the first)
    std::string start;        // how the rest of the line starts: "error: /rules/0/verdict: ..."
};

struct PositionCase {
    std::string name;
    std::string policy;
    std::vector<Place> places;  // every diagnostic, in file order
};
std::ostream& operator<<(std::ostream& os, const PositionCase& c) {
    return os << c.name;
}

// Rules inside a policy laid out one key per line, as people write them.
std::string with_rules(const std::string& rules) {
    return "{\n  \"version\": 1,\n  \"rules\": [\n" + rules + "\n  ]\n}\n";
}

const std::vector<PositionCase> kCases{
    // ---- the document and its keys ----------------------------------------------------
    {"document_not_an_object_points_at_its_first_byte", "\n  [1, 2]\n", {{"[", 0, "error: expected an object"}}},
    {"missing_key_points_at_the_object", "  {\n  }\n", {{"{", 0, "error: missing required key \"version\""}}},
    {"unknown_top_level_key_points_at_the_name",
     "{\n  \"version\": 1,\n  \"rulez\": []\n}\n",
     {{"\"rulez\"", 0, "error: /rulez: unknown key \"rulez\"; did you mean \"rules\"?"}}},
    {"unknown_match_key_points_at_the_name",
     with_rules("    {\"id\": \"r\",\n     \"match\": {\"typ\": \"echo-reply\"},\n     \"verdict\": \"accept\"}"),
     {{"\"typ\"", 0, "error: /rules/0/match/typ: rule 'r': unknown key \"typ\"; did you mean \"type\"?"}}},
    {"unknown_embedded_key_points_at_the_name",
     with_rules("    {\"id\": \"r\", \"match\": {\"embedded\": {\n      \"dport\": 53}}, \"verdict\": \"accept\"}"),
     {{"\"dport\"", 0, "error: /rules/0/match/embedded/dport: rule 'r': unknown key \"dport\""}}},
    {"repeated_key_points_at_each_repetition",
     "{\n  \"version\": 1,\n  \"version\": 1,\n  \"version\": 1\n}\n",
     {{"\"version\"", 1, "error: /version: duplicate key \"version\"; only the last one would count"},
      {"\"version\"", 2, "error: /version: duplicate key \"version\"; only the last one would count"}}},
    {"missing_rule_key_points_at_the_rule",
     with_rules("    {\"id\": \"r\",\n     \"match\": {\"type\": \"echo-reply\"}}"),
     {{"{\"id\"", 0, "error: /rules/0: rule 'r': missing required key \"verdict\""}}},
    // ---- values against their description ----------------------------------------------
    {"wrong_json_type_points_at_the_value",
     with_rules("    {\"id\": \"r\", \"match\": {\"type\": \"echo-reply\"}, \"verdict\": \"drop\",\n"
                "     \"log\": \"yes\"}"),
     {{"\"yes\"", 0, "error: /rules/0/log: rule 'r': expected a boolean, got string 'yes'"}}},
    {"bounds_point_at_the_value",
     "{\n  \"version\": 2,\n  \"rate_limits\": {\n    \"x\": {\"rate\": 0,\n          \"burst\": 0}\n  }\n}\n",
     {{"2,", 0, "error: /version: unsupported version 2; this icmpgate reads version 1"},
      {"0,", 0, "error: /rate_limits/x/rate: rate 0 is out of range: it must be above 0 and at most 1000000000"},
      {"0}", 0, "error: /rate_limits/x/burst: burst 0 is out of range 1..1000000"}}},
    {"unknown_choice_points_at_the_value",
     "{\"version\": 1,\n \"default_verdict\":\n   \"reject\"}",
     {{"\"reject\"", 0, "error: /default_verdict: unknown verdict 'reject'; expected 'accept' or 'drop'"}}},
    {"unknown_anomaly_points_at_its_name",
     "{\"version\": 1,\n \"anomalies\": {\n   \"bad-checksums\": \"drop\"}}",
     {{"\"bad-checksums\"", 0, "error: /anomalies/bad-checksums: unknown anomaly 'bad-checksums'"}}},
    {"bad_rate_limit_name_points_at_the_name_and_its_faults_at_their_values",
     "{\"version\": 1,\n \"rate_limits\": {\n   \"a/b c\": {\"rate\": 1, \"burst\": -3}}}",
     {{"\"a/b c\"", 0, "error: /rate_limits/a~1b c: 'a/b c' is not a valid rate limit name"},
      {"-3", 0, "error: /rate_limits/a~1b c/burst: burst -3 is out of range 1..1000000"}}},
    {"list_element_points_at_the_element",
     with_rules("    {\"id\": \"r\", \"match\": {\"type\": [\"echo-request\",\n"
                "                                   \"echo-requets\"]}, \"verdict\": \"drop\"}"),
     {{"\"echo-requets\"", 0, "error: /rules/0/match/type/1: rule 'r': unknown ICMP type 'echo-requets'"}}},
    {"empty_list_points_at_the_bracket",
     with_rules("    {\"id\": \"r\", \"match\": {\"type\": []}, \"verdict\": \"drop\"}"),
     {{"[]", 0, "error: /rules/0/match/type: rule 'r': an empty list matches nothing"}}},
    {"escaped_member_name_is_found_by_its_decoded_name",
     with_rules("    {\"id\": \"r\", \"match\": {}, \"\\u0076erdict\": \"reject\"}"),
     {{"\"reject\"", 0, "error: /rules/0/verdict: rule 'r': unknown verdict 'reject'"}}},
    // ---- checks of the reader beyond one value --------------------------------------------
    {"family_resolution_points_at_the_entry",
     with_rules("    {\"id\": \"a\", \"match\": {\"family\": \"ipv6\", \"type\": \"timestamp-request\"}, \"verdict\": "
                "\"drop\"},\n"
                "    {\"id\": \"b\", \"match\": {\"type\": 3}, \"verdict\": \"drop\"},\n"
                "    {\"id\": \"c\", \"match\": {\"type\": \"echo-request\", \"code\": [0, \"port-unreachable\"]},\n"
                "     \"verdict\": \"drop\"}"),
     {{"\"timestamp-request\"", 0, "error: /rules/0/match/type: rule 'a': type 'timestamp-request' does not exist"},
      {"3}", 0, "error: /rules/1/match/type: rule 'b': a numeric type needs \"family\""},
      {"0,", 0, "error: /rules/2/match/code/0: rule 'c': a numeric code needs \"family\""},
      {"\"port-unreachable\"", 0, "error: /rules/2/match/code/1: rule 'c': code 'port-unreachable' is a code of"}}},
    {"rule_matching_nothing_points_at_its_match",
     with_rules("    {\"id\": \"r\",\n     \"match\": {\"family\": \"ipv6\", \"source\": \"192.0.2.0/24\"},\n"
                "     \"verdict\": \"accept\"}"),
     {{"{\"family\"", 0, "error: /rules/0/match: rule 'r': rule matches no packet"}}},
    {"duplicate_id_points_at_the_second_id",
     with_rules("    {\"id\": \"r\", \"match\": {\"type\": \"echo-reply\"}, \"verdict\": \"drop\"},\n"
                "    {\"id\": \"r\", \"match\": {\"type\": \"echo-request\"}, \"verdict\": \"drop\"}"),
     {{"\"r\"", 1, "error: /rules/1/id: rule 'r': duplicate rule id 'r' (first used at /rules/0)"}}},
    {"payload_bounds_point_at_the_object",
     with_rules(
         "    {\"id\": \"r\", \"match\": {\"payload_size\": {\"min\": 10, \"max\": 5}}, \"verdict\": \"accept\"}"),
     {{"{\"min\"", 0, "error: /rules/0/match/payload_size: rule 'r': min 10 is greater than max 5"}}},
    {"rate_limit_names_point_at_the_entry",
     "{\"version\": 1, \"rate_limits\": {\"l\": {\"rate\": 5, \"burst\": 10}},\n \"rules\": [\n"
     "  {\"id\": \"r\", \"match\": {\"type\": \"echo-reply\"}, \"verdict\": \"accept\",\n"
     "   \"rate_limit\": [\"l\", \"m\", \"l\"]}]}",
     {{"\"m\"", 0, "error: /rules/0/rate_limit/1: rule 'r': unknown rate limit 'm'"},
      {"\"l\"", 2, "error: /rules/0/rate_limit/2: rule 'r': rate limit 'l' is listed twice"}}},
    {"value_syntax_points_at_the_entry",
     with_rules("    {\"id\": \"r\", \"match\": {\"source\": [\"192.0.2.1/24\"], \"in_interface\": "
                "\"averyveryverylongname\",\n"
                "     \"embedded\": {\"destination_port\": \"90-80\"}}, \"verdict\": \"accept\"}"),
     {{"\"192.0.2.1/24\"", 0, "error: /rules/0/match/source/0: rule 'r': '192.0.2.1/24' has host bits set"},
      {"\"averyvery", 0, "error: /rules/0/match/in_interface: rule 'r': 'averyveryverylongname' is longer than 15"},
      {"\"90-80\"", 0, "error: /rules/0/match/embedded/destination_port: rule 'r': '90-80' is not a port range"}}},
    // ---- protection analysis and linter ---------------------------------------------------
    {"protection_points_at_the_rule",
     with_rules("    {\"id\": \"te\", \"match\": {\"type\": \"echo-reply\"}, \"verdict\": \"drop\",\n"
                "     \"override_protection\": true},\n"
                "    {\"id\": \"all\", \"match\": {}, \"verdict\": \"drop\"}"),
     {{"true", 0, "warning: /rules/0/override_protection: rule 'te': \"override_protection\" has no effect"},
      {"{\"id\": \"all\"", 0, "error: /rules/1: rule 'all': could drop Fragmentation Needed"}}},
    {"lint_warnings_point_at_what_they_name",
     "{\"version\": 1,\n"
     " \"rate_limits\": {\"tiny\": {\"rate\": 1, \"burst\": 1},\n"
     "                 \"g\": {\"rate\": 1, \"burst\": 5, \"prefix_v4\": 24},\n"
     "                 \"spare\": {\"rate\": 1, \"burst\": 5}},\n"
     " \"rules\": [\n"
     "  {\"id\": \"quench\", \"match\": {\"type\": \"source-quench\"}, \"verdict\": \"accept\", \"rate_limit\": "
     "\"g\"},\n"
     "  {\"id\": \"unreach\", \"match\": {\"type\": \"destination-unreachable\", \"code\": \"port-unreachable\"},\n"
     "   \"verdict\": \"drop\", \"rate_limit\": \"tiny\"},\n"
     "  {\"id\": \"ping\", \"match\": {\"type\": \"echo-request\"}, \"verdict\": \"accept\"},\n"
     "  {\"id\": \"ping-lan\", \"match\": {\"type\": \"echo-request\", \"source\": \"192.0.2.0/24\"}, \"verdict\": "
     "\"accept\"}\n"
     " ]}\n",
     {{"24}", 0, "warning: /rate_limits/g/prefix_v4: \"prefix_v4\" has no effect on a global rate limit"},
      {"{\"rate\": 1, \"burst\": 5}}", 0, "warning: /rate_limits/spare: rate limit 'spare' is not used by any rule"},
      {"{\"type\": \"source-quench\"}", 0, "warning: /rules/0/match: rule 'quench': accepts deprecated ICMPv4 type 4"},
      {"\"tiny\"}", 0, "warning: /rules/1/rate_limit: rule 'unreach': a drop rule drops whether or not"},
      {"\"tiny\"}", 0, "warning: /rules/1/rate_limit: rule 'unreach': rate limit 'tiny' has burst 1"},
      {"{\"id\": \"ping\"", 0, "warning: /rules/2: rule 'ping': accepts echo-request from any source"},
      {"{\"id\": \"ping-lan\"", 0, "warning: /rules/3: rule 'ping-lan': can never match: rule 'ping' (/rules/2)"}}},
    // ---- file order across stages --------------------------------------------------------
    {"diagnostics_of_every_stage_come_in_file_order",
     "{\"version\": 1,\n"
     " \"rules\": [\n"
     "  {\"id\": \"all\", \"match\": {}, \"verdict\": \"drop\"},\n"
     "  {\"id\": \"b\", \"match\": {\"type\": \"echo-requets\"}, \"verdict\": \"drop\"}\n"
     " ],\n"
     " \"default_verdict\": \"dorp\"}\n",
     {{"{\"id\": \"all\"", 0, "error: /rules/0: rule 'all': could drop"},
      {"\"echo-requets\"", 0, "error: /rules/1/match/type: rule 'b': unknown ICMP type"},
      {"\"dorp\"", 0, "error: /default_verdict: unknown verdict 'dorp'"}}},
};

BOOST_AUTO_TEST_SUITE(diagnostic_position)

BOOST_DATA_TEST_CASE(each_diagnostic_points_at_the_value_at_fault, boost::unit_test::data::make(kCases), c) {
    const LoadResult result = load_policy_text(c.policy, "p.json");
    BOOST_TEST_REQUIRE(result.diagnostics.size() == c.places.size());
    for (std::size_t i = 0; i < c.places.size(); ++i) {
        const Place& place = c.places[i];
        const std::string expected = "p.json:" + where(c.policy, place.needle, place.occurrence) + ": " + place.start;
        const std::string actual = result.diagnostics[i].to_string();
        BOOST_TEST(actual.substr(0, expected.size()) == expected, "diagnostic " << i << ": " << actual);
    }
}

BOOST_AUTO_TEST_CASE(columns_count_bytes_after_a_byte_order_mark_and_non_ascii_text) {
    // U+00E9 is two bytes in UTF-8; the byte order mark three.
    const std::string text = "\xEF\xBB\xBF{\"version\": 1, \"description\": \"\xC3\xA9\", \"default_verdict\": \"x\"}";
    const LoadResult result = load_policy_text(text, "p.json");
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].line.value() == 1U);
    BOOST_TEST(result.diagnostics[0].column.value() == 59U);
    BOOST_TEST(text.find("\"x\"") == 58U);
}

BOOST_AUTO_TEST_CASE(the_location_is_in_gnu_form_with_the_pointer_after_the_severity) {
    const LoadResult result = load_policy_text(
        "{\"version\": 1,\n \"rules\": [{\"id\": \"r\", \"match\": {},\n"
        "  \"verdict\": \"reject\"}]}",
        "/etc/icmpgate/policy.json");
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].to_string() ==
               "/etc/icmpgate/policy.json:3:14: error: /rules/0/verdict: rule 'r': unknown verdict 'reject'; expected "
               "'accept' or 'drop'");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
