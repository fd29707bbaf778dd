#include "rules/signature_id.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

// Echo replies from a source of its own (192.0.2.1, .2, ...), so that no rule hides another
// (a lint warning).
std::string rule(const std::string& id, const std::string& extra = "") {
    static int next_host = 1;
    return R"({"id": ")" + id + R"(", "match": {"type": "echo-reply", "source": "192.0.2.)" +
           std::to_string(next_host++) + R"("}, "verdict": "accept")" + extra + "}";
}
std::string policy_of(const std::vector<std::string>& rules) {
    std::string text = R"({"version": 1, "rules": [)";
    for (std::size_t i = 0; i < rules.size(); ++i) text += (i == 0 ? "" : ", ") + rules[i];
    return text + "]}";
}

// Two rule ids whose derived signature ids collide (found by search; see the test below).
constexpr const char* kCollidingA = "r-an6e";
constexpr const char* kCollidingB = "r-duah";
constexpr std::uint32_t kCollidingId = 1'008'655'722;

}  // namespace

BOOST_AUTO_TEST_SUITE(signature_id)

// FNV-1a 32's published values for "" and "a" (the offset basis, and one round).
static_assert(fnv1a_32("") == 0x811C9DC5U);
static_assert(fnv1a_32("a") == 0xE40C292CU);
static_assert(derived_signature_id("a") == 1'000'000'000U + 0xE40C292CU % 1'000'000'000U);
static_assert(signature_id_of(42, "a") == 42);
static_assert(!is_builtin_signature_id(kBuiltinSidFirst - 1) && is_builtin_signature_id(kBuiltinSidFirst) &&
              is_builtin_signature_id(kBuiltinSidLast) && !is_builtin_signature_id(kBuiltinSidLast + 1));
static_assert(kDerivedSidFirst + (kDerivedSidCount - 1) < kBuiltinSidFirst,
              "derived ids stay below the reserved block");

BOOST_AUTO_TEST_CASE(derives_ids_in_their_range_and_the_same_for_the_same_rule_id) {
    const std::string longest(64, 'z');
    for (const std::string_view id :
         {std::string_view{"a"}, std::string_view{"v4-echo-request"}, std::string_view{longest}}) {
        const std::uint32_t derived = derived_signature_id(id);
        BOOST_TEST(derived >= kDerivedSidFirst);
        BOOST_TEST(derived < kDerivedSidFirst + kDerivedSidCount);
        BOOST_TEST(derived == derived_signature_id(std::string(id)));
    }
    BOOST_TEST(derived_signature_id("v4-echo-request") == 1'434'585'787U);  // docs/log-format.md's example
    BOOST_TEST(derived_signature_id(kCollidingA) == kCollidingId);
    BOOST_TEST(derived_signature_id(kCollidingB) == kCollidingId);
}

BOOST_AUTO_TEST_CASE(compiled_rules_carry_their_sid_or_the_derived_id) {
    const auto policy = test::compile_ok(policy_of({rule("a", R"(, "sid": 7)"), rule("b")}));
    BOOST_REQUIRE(policy);
    BOOST_TEST(policy->rules[0].signature_id == 7U);
    BOOST_TEST(policy->rules[1].signature_id == derived_signature_id("b"));
}

BOOST_AUTO_TEST_CASE(refuses_a_sid_in_the_reserved_block) {
    BOOST_TEST(test::diagnostics_of(policy_of({rule("a", R"(, "sid": 2000000004)")})) ==
                   std::vector<std::string>{"p.json: error: /rules/0/sid: rule 'a': sid 2000000004 is in "
                                            "2000000000-2000000999, reserved for icmpgate's own signatures"},
               boost::test_tools::per_element());
    BOOST_TEST(test::diagnostics_of(policy_of({rule("a", R"(, "sid": 1999999999)")})).empty());
    BOOST_TEST(test::diagnostics_of(policy_of({rule("a", R"(, "sid": 2000001000)")})).empty());
}

BOOST_AUTO_TEST_CASE(refuses_a_sid_used_twice) {
    BOOST_TEST(test::diagnostics_of(policy_of({rule("a", R"(, "sid": 5)"), rule("b", R"(, "sid": 5)")})) ==
                   std::vector<std::string>{
                       "p.json: error: /rules/1/sid: rule 'b': sid 5 is already used by rule 'a' (/rules/0)"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_a_sid_equal_to_an_earlier_rules_derived_id) {
    const std::string sid = std::to_string(derived_signature_id("a"));
    BOOST_TEST(test::diagnostics_of(policy_of({rule("a"), rule("b", R"(, "sid": )" + sid)})) ==
                   std::vector<std::string>{"p.json: error: /rules/1/sid: rule 'b': sid " + sid +
                                            " is the signature id derived for rule 'a' (/rules/0), which has no "
                                            "\"sid\"; give it one or pick another sid here"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_a_derived_id_equal_to_an_earlier_rules_sid) {
    const std::string sid = std::to_string(derived_signature_id("b"));
    BOOST_TEST(test::diagnostics_of(policy_of({rule("a", R"(, "sid": )" + sid), rule("b")})) ==
                   std::vector<std::string>{"p.json: error: /rules/1: rule 'b': the signature id derived from this "
                                            "rule's id, " +
                                            sid +
                                            ", is already rule 'a' (/rules/0)'s; give one of "
                                            "them a \"sid\""},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_two_rule_ids_whose_derived_ids_collide_until_one_has_a_sid) {
    BOOST_TEST(test::diagnostics_of(policy_of({rule(kCollidingA), rule(kCollidingB)})) ==
                   std::vector<std::string>{"p.json: error: /rules/1: rule 'r-duah': the signature id derived from "
                                            "this rule's id, 1008655722, is already rule 'r-an6e' (/rules/0)'s; give "
                                            "one of them a \"sid\""},
               boost::test_tools::per_element());
    BOOST_TEST(test::diagnostics_of(policy_of({rule(kCollidingA), rule(kCollidingB, R"(, "sid": 9)")})).empty());
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::rules
