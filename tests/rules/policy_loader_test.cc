#include "rules/policy_loader.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

struct MessageCase {
    std::string name;
    std::string policy;
    std::vector<std::string> expected;
};
std::ostream& operator<<(std::ostream& os, const MessageCase& c) {
    return os << c.name;
}

std::string with_rules(const std::string& rules) {
    return R"({"version": 1, "rules": [)" + rules + "]}";
}

const std::vector<MessageCase> kTopLevelCases{
    {"document_not_an_object", "[]", {"p.json: error: expected an object, got an array"}},
    {"missing_version", "{}", {"p.json: error: missing required key \"version\""}},
    {"unsupported_version",
     R"({"version": 2})",
     {"p.json: error: /version: unsupported version 2; this icmpgate reads version 1"}},
    {"version_as_string", R"({"version": "1"})", {"p.json: error: /version: expected an integer, got string '1'"}},
    {"misspelled_top_level_key",
     R"({"version": 1, "rulez": []})",
     {"p.json: error: /rulez: unknown key \"rulez\"; did you mean \"rules\"?"}},
    {"schema_key_allowed_only_as_string",
     R"({"$schema": 5, "version": 1})",
     {"p.json: error: /$schema: expected a string, got number 5"}},
    {"unknown_default_verdict",
     R"({"version": 1, "default_verdict": "reject"})",
     {"p.json: error: /default_verdict: unknown verdict 'reject'; expected 'accept' or 'drop'"}},
    {"misspelled_anomaly",
     R"({"version": 1, "anomalies": {"bad-checksums": "drop"}})",
     {"p.json: error: /anomalies/bad-checksums: unknown anomaly 'bad-checksums'; did you mean 'bad-checksum'?"}},
    {"anomaly_action_off",
     R"({"version": 1, "anomalies": {"fragment": "off"}})",
     {"p.json: error: /anomalies/fragment: unknown anomaly action 'off'; expected 'drop' or 'accept'"}},
    {"limiter_values_out_of_range",
     R"({"version": 1, "rate_limits": {"x": {"rate": 0, "burst": 0}}})",
     {"p.json: error: /rate_limits/x/rate: rate 0 is out of range: it must be above 0 and at most 1000000000",
      "p.json: error: /rate_limits/x/burst: burst 0 is out of range 1..1000000"}},
    {"limiter_missing_rate",
     R"({"version": 1, "rate_limits": {"x": {"burst": 5}}})",
     {"p.json: error: /rate_limits/x: missing required key \"rate\""}},
    {"limiter_unknown_scope",
     R"({"version": 1, "rate_limits": {"x": {"rate": 1, "burst": 5, "per": "src"}}})",
     {"p.json: error: /rate_limits/x/per: unknown scope 'src'; expected 'global', 'source' or 'destination'"}},
    {"limiter_prefix_too_long",
     R"({"version": 1, "rate_limits": {"x": {"rate": 1, "burst": 5, "per": "source", "prefix_v6": 129}}})",
     {"p.json: error: /rate_limits/x/prefix_v6: prefix_v6 129 is out of range 0..128"}},
    {"limiter_bad_name",
     R"({"version": 1, "rate_limits": {"a b": {"rate": 1, "burst": 5}}})",
     {"p.json: error: /rate_limits/a b: 'a b' is not a valid rate limit name: use 1 to 64 characters from "
      "A-Z a-z 0-9 . _ -"}},
    {"limiter_misspelled_key",
     R"({"version": 1, "rate_limits": {"x": {"rate": 1, "burst": 5, "brust": 3}}})",
     {"p.json: error: /rate_limits/x/brust: unknown key \"brust\"; did you mean \"burst\"?"}},
    {"duplicate_keys_are_errors",
     R"({"version": 1, "rules": [{"id": "a", "match": {"type": "echo-reply", "type": "echo-request"},
        "verdict": "accept"}], "rules": []})",
     {"p.json: error: /rules/0/match/type: duplicate key \"type\"; only the last one would count",
      "p.json: error: /rules: duplicate key \"rules\"; only the last one would count"}},
    {"global_limiter_with_prefix_warns",
     R"({"version": 1, "rate_limits": {"g": {"rate": 1, "burst": 5, "prefix_v4": 24}},
        "rules": [{"id": "r", "match": {"type": "echo-reply"}, "verdict": "accept", "rate_limit": "g"}]})",
     {"p.json: warning: /rate_limits/g/prefix_v4: \"prefix_v4\" has no effect on a global rate limit; did you mean "
      "to set \"per\": \"source\"?"}},
    {"rules_not_an_array",
     R"({"version": 1, "rules": {}})",
     {"p.json: error: /rules: expected an array, got an object"}},
};

const std::vector<MessageCase> kRuleCases{
    {"rule_missing_id",
     with_rules(R"({"match": {}, "verdict": "drop"})"),
     {"p.json: error: /rules/0: missing required key \"id\""}},
    {"rule_invalid_id",
     with_rules(R"({"id": "bad id", "match": {}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/id: 'bad id' is not a valid rule id: use 1 to 64 characters from A-Z a-z 0-9 . _ : -"}},
    {"rule_duplicate_id",
     with_rules(R"({"id": "r", "match": {"type": "echo-reply"}, "verdict": "drop"},
                   {"id": "r", "match": {"type": "echo-request"}, "verdict": "drop"})"),
     {"p.json: error: /rules/1/id: rule 'r': duplicate rule id 'r' (first used at /rules/0)"}},
    {"rule_misspelled_key_and_missing_verdict",
     with_rules(R"({"id": "r", "match": {}, "verdcit": "drop"})"),
     {"p.json: error: /rules/0: rule 'r': missing required key \"verdict\"",
      "p.json: error: /rules/0/verdcit: rule 'r': unknown key \"verdcit\"; did you mean \"verdict\"?"}},
    {"rule_missing_match",
     with_rules(R"({"id": "r", "verdict": "drop"})"),
     {"p.json: error: /rules/0: rule 'r': missing required key \"match\""}},
    {"verdict_wrong_type",
     with_rules(R"({"id": "r", "match": {}, "verdict": 1})"),
     {"p.json: error: /rules/0/verdict: rule 'r': expected a string, got number 1"}},
    {"log_wrong_type",
     with_rules(R"({"id": "r", "match": {"type": "echo-reply"}, "verdict": "drop", "log": "yes"})"),
     {"p.json: error: /rules/0/log: rule 'r': expected a boolean, got string 'yes'"}},
    {"sid_zero",
     with_rules(R"({"id": "r", "match": {"type": "echo-reply"}, "verdict": "drop", "sid": 0})"),
     {"p.json: error: /rules/0/sid: rule 'r': sid 0 is out of range 1..4294967295"}},
    {"misspelled_type",
     with_rules(R"({"id": "r", "match": {"type": "echo-requets"}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': unknown ICMP type 'echo-requets'; did you mean 'echo-request'?"}},
    {"misspelled_type_in_list",
     with_rules(R"({"id": "r", "match": {"type": ["echo-request", "echo-replay"]}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/type/1: rule 'r': unknown ICMP type 'echo-replay'; did you mean 'echo-reply'?"}},
    {"type_of_the_other_family",
     with_rules(R"({"id": "r", "match": {"family": "ipv6", "type": "timestamp-request"}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': type 'timestamp-request' does not exist in ICMPv6"}},
    {"numeric_type_without_family",
     with_rules(R"({"id": "r", "match": {"type": 3}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': a numeric type needs \"family\": 3 means different messages in "
      "ICMPv4 and ICMPv6"}},
    {"numeric_type_out_of_range",
     with_rules(R"({"id": "r", "match": {"family": "ipv4", "type": 300}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': type 300 is out of range 0..255"}},
    {"type_wrong_json_type",
     with_rules(R"({"id": "r", "match": {"type": true}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': expected a type name or number, got boolean true"}},
    {"code_name_given_as_type",
     with_rules(R"({"id": "r", "match": {"type": "port-unreachable"}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': 'port-unreachable' is a code, not a type; list it under "
      "\"code\""}},
    {"type_name_given_as_code",
     with_rules(R"({"id": "r", "match": {"code": "echo-request"}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/code: rule 'r': 'echo-request' is a type, not a code; list it under \"type\""}},
    {"code_of_another_type",
     with_rules(R"({"id": "r", "match": {"type": "echo-request", "code": "port-unreachable"}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/code: rule 'r': code 'port-unreachable' is a code of destination-unreachable, "
      "which this rule does not match"}},
    {"code_of_the_other_family",
     with_rules(R"({"id": "r", "match": {"family": "ipv6", "code": "frag-needed"}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/code: rule 'r': code 'frag-needed' does not exist in ICMPv6"}},
    {"numeric_code_without_family",
     with_rules(R"({"id": "r", "match": {"code": 3}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/code: rule 'r': a numeric code needs \"family\": 3 means different messages in "
      "ICMPv4 and ICMPv6"}},
    {"unknown_family",
     with_rules(R"({"id": "r", "match": {"family": "ip4", "type": 3}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/family: rule 'r': unknown family 'ip4'; did you mean 'ipv4'?"}},
    {"empty_type_list",
     with_rules(R"({"id": "r", "match": {"type": []}, "verdict": "drop"})"),
     {"p.json: error: /rules/0/match/type: rule 'r': an empty list matches nothing"}},
    {"source_with_host_bits",
     with_rules(R"({"id": "r", "match": {"source": "192.0.2.1/24"}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/source: rule 'r': '192.0.2.1/24' has host bits set; did you mean "
      "'192.0.2.0/24'?"}},
    {"destination_not_an_address",
     with_rules(R"({"id": "r", "match": {"destination": ["2001:db8::/32", "nowhere"]}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/destination/1: rule 'r': 'nowhere' is not an IP address or prefix"}},
    {"prefix_length_out_of_range",
     with_rules(R"({"id": "r", "match": {"source": "2001:db8::/129"}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/source: rule 'r': '2001:db8::/129' has a prefix length out of range 0..128"}},
    {"family_excluded_by_addresses",
     with_rules(R"({"id": "r", "match": {"family": "ipv6", "source": "192.0.2.0/24"}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match: rule 'r': rule matches no packet"}},
    {"interface_too_long",
     with_rules(R"({"id": "r", "match": {"in_interface": "averyveryverylongname"}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/in_interface: rule 'r': 'averyveryverylongname' is longer than 15 characters"}},
    {"interface_invalid_name",
     with_rules(R"({"id": "r", "match": {"out_interface": ["eth0", "a/b"]}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/out_interface/1: rule 'r': 'a/b' is not a valid interface name"}},
    {"payload_min_above_max",
     with_rules(R"({"id": "r", "match": {"payload_size": {"min": 10, "max": 5}}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/payload_size: rule 'r': min 10 is greater than max 5"}},
    {"payload_negative",
     with_rules(R"({"id": "r", "match": {"payload_size": {"min": -1}}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/payload_size/min: rule 'r': min -1 is out of range 0..4294967295"}},
    {"embedded_misspelled_protocol",
     with_rules(R"({"id": "r", "match": {"embedded": {"protocol": "tpc"}}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/embedded/protocol: rule 'r': unknown protocol 'tpc'; did you mean 'tcp'?"}},
    {"embedded_reversed_port_range",
     with_rules(R"({"id": "r", "match": {"embedded": {"destination_port": [53, "90-80"]}}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/embedded/destination_port/1: rule 'r': '90-80' is not a port range: 90 is "
      "greater than 80"}},
    {"embedded_port_out_of_range",
     with_rules(R"({"id": "r", "match": {"embedded": {"source_port": 70000}}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/embedded/source_port: rule 'r': port 70000 is out of range 0..65535"}},
    {"embedded_misspelled_key",
     with_rules(R"({"id": "r", "match": {"embedded": {"dport": 53}}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/embedded/dport: rule 'r': unknown key \"dport\""}},
    {"misspelled_match_key",
     with_rules(R"({"id": "r", "match": {"typ": "echo-reply"}, "verdict": "accept"})"),
     {"p.json: error: /rules/0/match/typ: rule 'r': unknown key \"typ\"; did you mean \"type\"?"}},
    {"misspelled_rate_limit",
     R"({"version": 1, "rate_limits": {"echo-per-source": {"rate": 5, "burst": 10}},
        "rules": [{"id": "r", "match": {"type": "echo-reply"}, "verdict": "accept", "rate_limit": "echo-per-src"}]})",
     {"p.json: error: /rules/0/rate_limit: rule 'r': unknown rate limit 'echo-per-src'; did you mean "
      "'echo-per-source'?"}},
    {"rate_limit_without_limiters",
     with_rules(R"({"id": "r", "match": {"type": "echo-reply"}, "verdict": "accept", "rate_limit": ["x"]})"),
     {"p.json: error: /rules/0/rate_limit/0: rule 'r': unknown rate limit 'x'; \"rate_limits\" defines none"}},
    {"errors_of_several_rules_in_document_order",
     with_rules(R"({"id": "a", "match": {"type": "echo-requets"}, "verdict": "accept"},
                   {"id": "b", "match": {}, "verdict": "maybe"})"),
     {"p.json: error: /rules/0/match/type: rule 'a': unknown ICMP type 'echo-requets'; did you mean 'echo-request'?",
      "p.json: error: /rules/1/verdict: rule 'b': unknown verdict 'maybe'; expected 'accept' or 'drop'"}},
};

BOOST_AUTO_TEST_SUITE(policy_loader)

BOOST_DATA_TEST_CASE(top_level_fault_is_reported_with_pointer_and_value, boost::unit_test::data::make(kTopLevelCases),
                     c) {
    BOOST_TEST(test::diagnostics_of(c.policy) == c.expected, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(rule_fault_is_reported_with_pointer_rule_id_and_value, boost::unit_test::data::make(kRuleCases),
                     c) {
    BOOST_TEST(test::diagnostics_of(c.policy) == c.expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(syntax_error_gives_line_and_column_of_the_offending_byte) {
    const std::string text = "{\n  \"version\": 1,\n  \"rules\": [\n    {\"id\": \"a\",}\n  ]\n}\n";
    const LoadResult result = load_policy_text(text, "p.json");
    BOOST_TEST(!result.ok());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    const Diagnostic& d = result.diagnostics[0];
    BOOST_TEST(d.line.value() == 4U);
    BOOST_TEST(d.column.value() == 16U);
    BOOST_TEST(d.to_string() ==
               "p.json:4:16: error: syntax error while parsing object key - unexpected '}'; expected string literal");
}

BOOST_AUTO_TEST_CASE(syntax_error_just_after_a_newline_is_at_column_one) {
    const LoadResult result = load_policy_text("[1,\n\n]", "p.json");
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].line.value() == 3U);
    BOOST_TEST(result.diagnostics[0].column.value() == 1U);
}

BOOST_AUTO_TEST_CASE(syntax_error_on_empty_text_is_at_line_one) {
    const LoadResult result = load_policy_text("", "p.json");
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].to_string() ==
               "p.json:1:1: error: syntax error while parsing value - unexpected end of input; expected '[', '{', or "
               "a literal");
}

BOOST_AUTO_TEST_CASE(missing_file_is_one_error_with_the_os_reason) {
    const LoadResult result = load_policy_file("/nonexistent/icmpgate/p.json");
    BOOST_TEST(!result.ok());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].to_string() ==
               "/nonexistent/icmpgate/p.json: error: cannot read: No such file or directory");
}

BOOST_AUTO_TEST_CASE(directory_is_one_error_with_the_os_reason) {
    const std::string dir = std::filesystem::temp_directory_path().string();
    const LoadResult result = load_policy_file(dir);
    BOOST_TEST(!result.ok());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].to_string() == dir + ": error: cannot read: Is a directory");
}

BOOST_AUTO_TEST_CASE(readable_file_loads_with_its_path_as_source_name) {
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "icmpgate_loader_test_policy.json";
    {
        std::ofstream out(path);
        out << R"({"version": 1})";
    }
    const LoadResult result = load_policy_file(path.string());
    std::filesystem::remove(path);
    BOOST_TEST_REQUIRE(result.ok());
    BOOST_TEST(result.policy->source_name == path.string());
    BOOST_TEST(result.diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(warning_renders_with_warning_level) {
    Diagnostic d;
    d.severity = Diagnostic::Severity::warning;
    d.file = "p.json";
    d.pointer = "/rules/2";
    d.rule_id = "x";
    d.message = "something";
    BOOST_TEST(d.to_string() == "p.json: warning: /rules/2: rule 'x': something");
}

BOOST_AUTO_TEST_CASE(warnings_alone_leave_the_policy_loaded_and_counted) {
    const LoadResult result =
        load_policy_text(R"({"version": 1, "rate_limits": {"unused": {"rate": 1, "burst": 5}}})", "p.json");
    BOOST_TEST(result.ok());
    BOOST_TEST(result.error_count() == 0U);
    BOOST_TEST(result.warning_count() == 1U);
}

BOOST_AUTO_TEST_CASE(errors_leave_no_policy_and_are_counted) {
    const LoadResult result = load_policy_text(R"({"version": 2, "default_verdict": "x"})", "p.json");
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.error_count() == 2U);
    BOOST_TEST(result.warning_count() == 0U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
