#include "rules/protection_analysis.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

struct ProtectionCase {
    std::string name;
    std::string rules;                  // JSON array elements
    std::vector<std::string> expected;  // every diagnostic
};
std::ostream& operator<<(std::ostream& os, const ProtectionCase& c) {
    return os << c.name;
}

// Defines limiter "l" only when a rule uses it (an unused limiter is a warning).
std::string policy(const std::string& rules) {
    const std::string limiters =
        rules.find("rate_limit") != std::string::npos ? R"("l": {"rate": 10, "burst": 10})" : "";
    return R"({"version": 1, "rate_limits": {)" + limiters + R"(}, "rules": [)" + rules + "]}";
}

const std::string kAdd = "; add \"override_protection\": true to allow it";

const std::vector<ProtectionCase> kCases{
    {"drop_of_destination_unreachable_exposes_frag_needed",
     R"({"id": "drop-unreach", "match": {"type": "destination-unreachable"}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'drop-unreach': could drop Fragmentation Needed (ICMPv4 3/4)" + kAdd}},
    {"catch_all_drop_exposes_every_protected_message",
     R"({"id": "all", "match": {}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'all': could drop Fragmentation Needed (ICMPv4 3/4), Time Exceeded (ICMPv4 11), "
      "Packet Too Big (ICMPv6 2) and Time Exceeded (ICMPv6 3)" +
      kAdd}},
    {"drop_of_other_unreachable_codes_is_fine",
     R"({"id": "r", "match": {"type": "destination-unreachable", "code": ["port-unreachable", "host-unreachable"]},
         "verdict": "drop"})",
     {}},
    {"rate_limited_accept_can_drop",
     R"({"id": "r", "match": {"family": "ipv4", "type": "time-exceeded"}, "verdict": "accept", "rate_limit": "l"})",
     {"p.json: error: /rules/0: rule 'r': could drop Time Exceeded (ICMPv4 11)" + kAdd}},
    {"some_codes_of_time_exceeded_are_named",
     R"({"id": "r", "match": {"type": "time-exceeded", "code": "reassembly-timeout"}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'r': could drop Time Exceeded (ICMPv4 11 code 1) and Time Exceeded (ICMPv6 3 "
      "code 1)" +
      kAdd}},
    {"numeric_code_4_of_any_type_hits_frag_needed",
     R"({"id": "r", "match": {"family": "ipv4", "code": [4, 5]}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'r': could drop Fragmentation Needed (ICMPv4 3/4) and Time Exceeded (ICMPv4 11 "
      "codes 4, 5)" +
      kAdd}},
    {"address_restriction_keeps_only_its_family",
     R"({"id": "r", "match": {"type": "time-exceeded", "source": "10.0.0.0/8"}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'r': could drop Time Exceeded (ICMPv4 11)" + kAdd}},
    {"payload_too_small_for_a_well_formed_v4_error",
     R"({"id": "r", "match": {"family": "ipv4", "payload_size": {"max": 27}}, "verdict": "drop"})",
     {}},
    {"payload_window_fitting_v4_but_not_v6",
     R"({"id": "r", "match": {"payload_size": {"max": 47}}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'r': could drop Fragmentation Needed (ICMPv4 3/4) and Time Exceeded (ICMPv4 11)" +
      kAdd}},
    {"payload_above_the_largest_packet",
     R"({"id": "r", "match": {"payload_size": {"min": 65528}}, "verdict": "drop"})",
     {}},
    {"earlier_unconditional_accept_hides_the_type",
     R"({"id": "te", "match": {"type": "time-exceeded"}, "verdict": "accept"},
        {"id": "all", "match": {}, "verdict": "drop"})",
     {"p.json: error: /rules/1: rule 'all': could drop Fragmentation Needed (ICMPv4 3/4) and Packet Too Big (ICMPv6 "
      "2)" +
      kAdd}},
    {"earlier_conditional_accept_does_not_hide",
     R"({"id": "te", "match": {"type": "packet-too-big", "source": "2001:db8::/32"}, "verdict": "accept"},
        {"id": "ptb", "match": {"type": "packet-too-big"}, "verdict": "drop"})",
     {"p.json: error: /rules/1: rule 'ptb': could drop Packet Too Big (ICMPv6 2)" + kAdd}},
    {"earlier_rate_limited_accept_does_not_hide",
     R"({"id": "a", "match": {"type": "packet-too-big"}, "verdict": "accept", "rate_limit": "l",
         "override_protection": true},
        {"id": "b", "match": {"type": "packet-too-big"}, "verdict": "drop"})",
     {"p.json: error: /rules/1: rule 'b': could drop Packet Too Big (ICMPv6 2)" + kAdd}},
    {"override_allows_the_rule", R"({"id": "all", "match": {}, "verdict": "drop", "override_protection": true})", {}},
    {"override_without_effect_is_a_warning",
     R"({"id": "e", "match": {"type": "echo-reply"}, "verdict": "drop", "override_protection": true})",
     {"p.json: warning: /rules/0/override_protection: rule 'e': \"override_protection\" has no effect: this rule "
      "cannot drop a protected message"}},
    {"monitor_rule_that_could_drop_is_a_warning_for_the_day_it_is_enforced",
     R"({"id": "try-te", "match": {"family": "ipv4", "type": "time-exceeded"}, "verdict": "drop", "mode": "monitor"})",
     {"p.json: warning: /rules/0: rule 'try-te': in monitor mode it drops nothing, but enforced it could drop Time "
      "Exceeded (ICMPv4 11), which needs \"override_protection\": true"}},
    {"monitor_rule_with_override_is_quiet",
     R"({"id": "try-te", "match": {"family": "ipv4", "type": "time-exceeded"}, "verdict": "drop", "mode": "monitor",
         "override_protection": true})",
     {}},
    {"monitor_accept_does_not_hide_the_type_from_a_later_drop",
     R"({"id": "te", "match": {"type": "time-exceeded"}, "verdict": "accept", "mode": "monitor"},
        {"id": "te-drop", "match": {"type": "time-exceeded"}, "verdict": "drop"})",
     {"p.json: error: /rules/1: rule 'te-drop': could drop Time Exceeded (ICMPv4 11) and Time Exceeded (ICMPv6 3)" +
      kAdd}},
    {"enforced_accept_hides_the_type_from_a_later_monitor_drop",
     R"({"id": "te", "match": {"type": "time-exceeded"}, "verdict": "accept"},
        {"id": "te-drop", "match": {"type": "time-exceeded"}, "verdict": "drop", "mode": "monitor"})",
     {"p.json: warning: /rules/1: rule 'te-drop': can never match: rule 'te' (/rules/0) matches every packet this rule "
      "matches and decides first"}},
    {"embedded_condition_still_exposes",
     R"({"id": "r", "match": {"type": "packet-too-big", "embedded": {"protocol": "udp"}}, "verdict": "drop"})",
     {"p.json: error: /rules/0: rule 'r': could drop Packet Too Big (ICMPv6 2)" + kAdd}},
};

BOOST_AUTO_TEST_SUITE(protection_analysis)

BOOST_DATA_TEST_CASE(rule_that_could_drop_protected_messages_is_an_error, boost::unit_test::data::make(kCases), c) {
    BOOST_TEST(test::diagnostics_of(policy(c.rules)) == c.expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(exposure_of_a_catch_all_match_lists_all_four_types) {
    const CompiledMatch match;  // families both, but no codes: empty sets
    BOOST_TEST(protected_exposure(match).empty());
    CompiledMatch all;
    all.type_code[0].all_codes.set();
    all.type_code[1].all_codes.set();
    const std::vector<ProtectedExposure> exposure = protected_exposure(all);
    BOOST_TEST_REQUIRE(exposure.size() == 4U);
    BOOST_TEST(exposure[0].codes.count() == 1U);
    BOOST_TEST(exposure[0].codes.test(4));
    BOOST_TEST(exposure[1].codes.all());
    BOOST_TEST(describe_exposure(exposure) ==
               "Fragmentation Needed (ICMPv4 3/4), Time Exceeded (ICMPv4 11), Packet Too Big (ICMPv6 2) and Time "
               "Exceeded (ICMPv6 3)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
