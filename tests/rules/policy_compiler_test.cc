#include "rules/policy_compiler.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rules/policy_document.h"
#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

constexpr std::size_t kV4 = 0;
constexpr std::size_t kV6 = 1;

const char* const kPolicy = R"({
  "version": 1,
  "default_verdict": "accept",
  "anomalies": {"fragment": "drop", "wrong-family": "drop"},
  "rate_limits": {
    "zeta": {"rate": 2.5, "burst": 5, "per": "source", "prefix_v4": 24, "prefix_v6": 64, "max_entries": 1024},
    "alpha": {"rate": 100, "burst": 200}
  },
  "rules": [
    {"id": "echo", "match": {"type": "echo-request"}, "verdict": "accept", "rate_limit": ["zeta", "alpha"]},
    {"id": "unreach", "match": {"family": "ipv4", "code": "port-unreachable"}, "verdict": "drop"},
    {"id": "v6-code-4", "match": {"family": "ipv6", "code": 4}, "verdict": "accept"}
  ]
})";

BOOST_AUTO_TEST_SUITE(policy_compiler)

BOOST_AUTO_TEST_CASE(limiters_are_sorted_by_name_and_rules_refer_by_index) {
    const auto policy = test::compile_ok(kPolicy);
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST_REQUIRE(policy->limiters.size() == 2U);
    BOOST_TEST(policy->limiters[0].name == "alpha");
    BOOST_TEST(policy->limiters[1].name == "zeta");
    const LimiterSpec zeta{"zeta", 2.5, 5, LimiterScope::source, 24, 64, 1024};
    BOOST_TEST((policy->limiters[1] == zeta));
    const LimiterSpec alpha{"alpha", 100, 200, LimiterScope::global, 32, 128, 65536};
    BOOST_TEST((policy->limiters[0] == alpha));
    BOOST_TEST(policy->rules[0].limiters == (std::vector<LimiterIndex>{1, 0}), boost::test_tools::per_element());
    BOOST_TEST(policy->rules[1].limiters.empty());
}

BOOST_AUTO_TEST_CASE(anomaly_actions_are_table_defaults_with_policy_overrides) {
    const auto policy = test::compile_ok(kPolicy);
    BOOST_TEST_REQUIRE(policy != nullptr);
    using decode::Anomaly;
    using decode::AnomalyAction;
    BOOST_TEST((policy->action_for(Anomaly::truncated) == AnomalyAction::drop));
    BOOST_TEST((policy->action_for(Anomaly::fragment) == AnomalyAction::drop));
    BOOST_TEST((policy->action_for(Anomaly::wrong_family) == AnomalyAction::drop));
    BOOST_TEST((policy->action_for(Anomaly::bad_hop_limit) == AnomalyAction::off));
    BOOST_TEST((policy->default_verdict == Verdict::accept));
}

BOOST_AUTO_TEST_CASE(candidates_list_the_rules_that_can_match_each_type_in_order) {
    const auto policy = test::compile_ok(kPolicy);
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST(policy->candidates[kV4][8] == (std::vector<RuleIndex>{0}), boost::test_tools::per_element());
    BOOST_TEST(policy->candidates[kV4][3] == (std::vector<RuleIndex>{1}), boost::test_tools::per_element());
    BOOST_TEST(policy->candidates[kV4][0].empty());
    BOOST_TEST(policy->candidates[kV6][128] == (std::vector<RuleIndex>{0, 2}), boost::test_tools::per_element());
    BOOST_TEST(policy->candidates[kV6][1] == (std::vector<RuleIndex>{2}), boost::test_tools::per_element());
    BOOST_TEST(policy->candidates[kV6][8] == (std::vector<RuleIndex>{2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(digest_and_source_name_identify_the_text) {
    const LoadResult result = load_policy_text(R"({"version": 1})", "/etc/icmpgate/policy.json");
    BOOST_TEST_REQUIRE(result.ok());
    BOOST_TEST(result.policy->digest == "sha256:c3aa9744214caf6eb993d6f88f3f1dda3e4e60d59f712b6463c4ce2c4b00dfa1");
    BOOST_TEST(result.policy->source_name == "/etc/icmpgate/policy.json");
    BOOST_TEST(result.policy->rules.empty());
    BOOST_TEST((result.policy->default_verdict == Verdict::drop));
}

// Log lines copy a policy's names without an escape scan only when the compiler found them all
// plain (tests/filter/log/json_line_test.cc writes both kinds).
BOOST_AUTO_TEST_CASE(names_are_plain_only_when_digest_rule_ids_and_limiter_names_all_are) {
    const auto policy = test::compile_ok(kPolicy);
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST(policy->names_are_plain);

    PolicyDocument document;
    LimiterDocument limiter;
    limiter.spec.name = "per-source";
    document.limiters.push_back(limiter);
    RuleDocument rule;
    rule.id = "echo";
    rule.rate_limits = {"per-source"};
    document.rules.push_back(rule);
    BOOST_TEST(compile_policy(document, "sha256:00", "p.json").names_are_plain);
    BOOST_TEST(!compile_policy(document, "sha256:\"", "p.json").names_are_plain);

    PolicyDocument quoted_id = document;
    quoted_id.rules[0].id = "echo\\";
    BOOST_TEST(!compile_policy(quoted_id, "sha256:00", "p.json").names_are_plain);

    PolicyDocument control_in_limiter = document;
    control_in_limiter.limiters[0].spec.name = "per\x01source";
    control_in_limiter.rules[0].rate_limits = {"per\x01source"};
    BOOST_TEST(!compile_policy(control_in_limiter, "sha256:00", "p.json").names_are_plain);

    PolicyDocument non_ascii_id = document;
    non_ascii_id.rules[0].id = "r\xC3\xA8gle";
    BOOST_TEST(!compile_policy(non_ascii_id, "sha256:00", "p.json").names_are_plain);
}

BOOST_AUTO_TEST_CASE(plain_text_is_printable_ascii_without_quote_or_backslash) {
    BOOST_TEST(is_plain_text(""));
    BOOST_TEST(is_plain_text(" azAZ09.:_-~!#"));
    for (const char c : std::string_view{"\"\\\x00\x1f\x7f\x80\xff", 7}) BOOST_TEST(!is_plain_text({&c, 1}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
