// Every key of "match" and "embedded" is seen by the protection analysis: family, type and
// code select the messages a rule matches; every other key is a condition the analysis asks
// through CompiledMatch::for_each_condition (rules/match_analysis.h). A key added to the key
// tables must say which it is and give an example, and these tests then check it:
// - the example compiles to a match the analysis finds conditional, and
// - an earlier accept rule with only that key does not hide a later drop of Fragmentation
//   Needed, Time Exceeded or Packet Too Big (the hazard: a condition the analysis does not
//   see makes a conditional accept look unconditional).
// rules/match_keys.cc and rules/match_analysis.cc add static_asserts tying the number of
// condition keys and of compiled members to for_each_condition().
#include "rules/match_keys.h"

#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <vector>

#include "rules/match_analysis.h"
#include "rules/policy_reader.h"
#include "rules/protection_analysis.h"
#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

using decode::Family;

constexpr std::string_view kFullExposure =
    "could drop Fragmentation Needed (ICMPv4 3/4), Time Exceeded (ICMPv4 11), Packet Too Big (ICMPv6 2) and Time "
    "Exceeded (ICMPv6 3)";

// A key's example as the match of a rule: {"key": example}, or {"embedded": {"key": example}}.
std::string match_with(const KeyDescription& key, bool in_embedded) {
    const std::string member = "\"" + std::string(key.name) + "\": " + std::string(key.example);
    return in_embedded ? "{\"embedded\": {" + member + "}}" : "{" + member + "}";
}

std::vector<std::pair<const KeyDescription*, bool>> condition_keys() {
    std::vector<std::pair<const KeyDescription*, bool>> out;
    for (const KeyDescription& key : match_keys())
        if (key.role == MatchRole::condition) out.emplace_back(&key, false);
    for (const KeyDescription& key : embedded_keys()) out.emplace_back(&key, true);
    return out;
}

// The errors of: an accept rule with `match`, then a drop of everything.
std::vector<std::string> errors_after_accept_of(const std::string& match) {
    const std::string text = R"({"version": 1, "rules": [{"id": "a", "match": )" + match +
                             R"(, "verdict": "accept"}, {"id": "all", "match": {}, "verdict": "drop"}]})";
    const LoadResult result = load_policy_text(text, "p.json");
    std::vector<std::string> errors;
    for (const Diagnostic& d : result.diagnostics)
        if (d.severity == Diagnostic::Severity::error) errors.push_back(test::without_position(d));
    return errors;
}

BOOST_AUTO_TEST_SUITE(match_keys_and_protection)

BOOST_AUTO_TEST_CASE(family_type_and_code_alone_select_messages) {
    std::set<std::string> selecting;
    for (const KeyDescription& key : match_keys()) {
        BOOST_TEST((key.role == MatchRole::selects_messages || key.role == MatchRole::condition), key.name);
        if (key.role == MatchRole::selects_messages) selecting.emplace(key.name);
    }
    BOOST_TEST((selecting == std::set<std::string>{"family", "type", "code"}));
    for (const KeyDescription& key : embedded_keys()) BOOST_TEST((key.role == MatchRole::condition), key.name);
}

BOOST_AUTO_TEST_CASE(every_match_key_has_an_example_that_loads) {
    for (const auto& keys : {match_keys(), embedded_keys()}) {
        for (const KeyDescription& key : keys) {
            BOOST_TEST_REQUIRE(!key.example.empty(), key.name);
            const bool in_embedded = keys.data() == embedded_keys().data();
            const std::string text = R"({"version": 1, "rules": [{"id": "r", "match": )" +
                                     match_with(key, in_embedded) +
                                     R"(, "verdict": "drop", "override_protection": true}]})";
            BOOST_TEST(test::compile_ok(text) != nullptr, text);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_condition_key_makes_its_rule_conditional_for_the_analysis) {
    BOOST_TEST(condition_keys().size() == CompiledMatch::kConditionCount + EmbeddedMatch::kConditionCount);
    for (const auto& [key, in_embedded] : condition_keys()) {
        const std::string text = R"({"version": 1, "rules": [{"id": "r", "match": )" + match_with(*key, in_embedded) +
                                 R"(, "verdict": "accept"}]})";
        const auto policy = test::compile_ok(text);
        BOOST_TEST_REQUIRE(policy != nullptr, text);
        const CompiledMatch& match = policy->rules.at(0).match;
        for (const Family family : {Family::ipv4, Family::ipv6}) {
            if (!match.families[family_index(family)]) continue;
            const MessageClass quoted{family, 0, UINT32_MAX, true};
            BOOST_TEST(!is_unconditional(match, quoted), key->name << " " << (family == Family::ipv4 ? "v4" : "v6"));
        }
    }
}

BOOST_AUTO_TEST_CASE(an_accept_with_any_condition_key_does_not_hide_protected_messages) {
    for (const auto& [key, in_embedded] : condition_keys()) {
        BOOST_TEST(errors_after_accept_of(match_with(*key, in_embedded)) ==
                       std::vector<std::string>{"p.json: error: /rules/1: rule 'all': " + std::string(kFullExposure) +
                                                "; add \"override_protection\": true to allow it"},
                   key->name);
    }
}

// The control: an accept with no condition does hide what it selects, so the test above
// would see a condition the analysis missed.
BOOST_AUTO_TEST_CASE(an_accept_selecting_messages_only_hides_them) {
    BOOST_TEST(
        errors_after_accept_of(R"({"type": "time-exceeded"})") ==
        std::vector<std::string>{"p.json: error: /rules/1: rule 'all': could drop Fragmentation Needed (ICMPv4 "
                                 "3/4) and Packet Too Big (ICMPv6 2); add \"override_protection\": true to allow "
                                 "it"});
    // "embedded": {} asks only for a quote, which every well-formed protected message has.
    BOOST_TEST(errors_after_accept_of(R"({"type": "time-exceeded", "embedded": {}})") ==
               errors_after_accept_of(R"({"type": "time-exceeded"})"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
