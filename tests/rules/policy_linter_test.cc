#include "rules/policy_linter.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

struct LintCase {
    std::string name;
    std::string policy;
    std::vector<std::string> expected;
};
std::ostream& operator<<(std::ostream& os, const LintCase& c) {
    return os << c.name;
}

std::string with(const std::string& limiters, const std::string& rules) {
    return R"({"version": 1, "rate_limits": {)" + limiters + R"(}, "rules": [)" + rules + "]}";
}

const std::vector<LintCase> kCases{
    {"accepting_source_quench_warns",
     with("", R"({"id": "sq", "match": {"type": "source-quench"}, "verdict": "accept"})"),
     {"p.json: warning: /rules/0/match: rule 'sq': accepts deprecated ICMPv4 type 4 (RFC 6633, RFC 6918)"}},
    {"accepting_everything_warns_twice",
     with("", R"({"id": "all", "match": {}, "verdict": "accept"})"),
     {"p.json: warning: /rules/0: rule 'all': accepts echo-request from any source with no rate limit (unlimited "
      "echo from anywhere)",
      "p.json: warning: /rules/0/match: rule 'all': accepts deprecated ICMPv4 types 4, 6, 15-18, 30-39 (RFC 6633, "
      "RFC 6918)"}},
    {"dropping_deprecated_types_is_quiet",
     with("", R"({"id": "d", "match": {"family": "ipv4", "type": [4, 15, 16]}, "verdict": "drop"})"),
     {}},
    {"unlimited_echo_from_anywhere_warns",
     with("", R"({"id": "ping", "match": {"family": "ipv6", "type": "ping"}, "verdict": "accept"})"),
     {"p.json: warning: /rules/0: rule 'ping': accepts echo-request from any source with no rate limit (unlimited "
      "echo from anywhere)"}},
    {"echo_from_a_source_list_is_quiet",
     with("", R"({"id": "ping", "match": {"type": "echo-request", "source": ["10.0.0.0/8", "fd00::/8"]},
                  "verdict": "accept"})"),
     {}},
    {"rate_limited_echo_is_quiet",
     with(R"("e": {"rate": 5, "burst": 10, "per": "source"})",
          R"({"id": "ping", "match": {"type": "echo-request"}, "verdict": "accept", "rate_limit": "e"})"),
     {}},
    {"small_burst_on_error_limiter_warns",
     with(R"("u": {"rate": 5, "burst": 2})",
          R"({"id": "unreach", "match": {"type": "destination-unreachable", "code": "port-unreachable"},
              "verdict": "accept", "rate_limit": "u"})"),
     {"p.json: warning: /rules/0/rate_limit: rule 'unreach': rate limit 'u' has burst 2 on error messages; traceroute "
      "sends 3 probes per hop, so use a burst of at least 3 (RFC 4443 2.4(f))"}},
    {"small_burst_on_echo_limiter_is_quiet",
     with(R"("e": {"rate": 5, "burst": 1})",
          R"({"id": "ping", "match": {"type": "echo-request"}, "verdict": "accept", "rate_limit": "e"})"),
     {}},
    {"rate_limit_on_drop_rule_warns",
     with(R"("r": {"rate": 5, "burst": 5})",
          R"({"id": "redir", "match": {"type": "redirect"}, "verdict": "drop", "rate_limit": "r"})"),
     {"p.json: warning: /rules/0/rate_limit: rule 'redir': a drop rule drops whether or not a token is left, so "
      "\"rate_limit\" only spends tokens here"}},
    {"unused_limiter_warns",
     with(R"("spare": {"rate": 5, "burst": 5})", ""),
     {"p.json: warning: /rate_limits/spare: rate limit 'spare' is not used by any rule"}},
    {"shadowed_rule_warns",
     with("", R"({"id": "ts", "match": {"type": ["timestamp-request", "timestamp-reply"]}, "verdict": "drop"},
                 {"id": "ts-req", "match": {"type": "timestamp-request", "source": "10.0.0.0/8"}, "verdict": "accept"})"),
     {"p.json: warning: /rules/1: rule 'ts-req': can never match: rule 'ts' (/rules/0) matches every packet this rule "
      "matches and decides first"}},
    {"rule_after_a_monitor_rule_is_not_shadowed",
     with("", R"({"id": "ts", "match": {"type": ["timestamp-request", "timestamp-reply"]}, "verdict": "drop",
                  "mode": "monitor"},
                 {"id": "ts-req", "match": {"type": "timestamp-request", "source": "10.0.0.0/8"}, "verdict": "accept"})"),
     {}},
    {"monitor_rule_after_an_enforced_one_that_covers_it_warns",
     with("", R"({"id": "ts", "match": {"type": ["timestamp-request", "timestamp-reply"]}, "verdict": "drop"},
                 {"id": "ts-req", "match": {"type": "timestamp-request"}, "verdict": "accept", "mode": "monitor"})"),
     {"p.json: warning: /rules/1: rule 'ts-req': can never match: rule 'ts' (/rules/0) matches every packet this rule "
      "matches and decides first"}},
    {"rule_after_a_conditional_rule_is_not_shadowed",
     with("", R"({"id": "ts", "match": {"type": "timestamp-request", "source": "10.0.0.0/8"}, "verdict": "accept"},
                 {"id": "ts-all", "match": {"type": "timestamp-request"}, "verdict": "drop"})"),
     {}},
};

BOOST_AUTO_TEST_SUITE(policy_linter)

BOOST_DATA_TEST_CASE(lint_finding_is_a_warning_with_exact_text, boost::unit_test::data::make(kCases), c) {
    const LoadResult result = load_policy_text(c.policy, "p.json");
    BOOST_TEST(result.ok());
    BOOST_TEST(test::diagnostics_of(c.policy) == c.expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
