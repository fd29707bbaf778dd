// The reader makes every message about a wrong type, bound, name or list from the key's
// description: a made-up table here, so the messages are seen to follow the description and
// not the policy language.
#include "rules/key_reader.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "rules/diagnostic_sink.h"

namespace icmpgate::rules {
namespace {

struct Target {
    std::vector<std::string> read;  // "key=value", in the order the read functions ran
};

void note(KeyReader&, const Value& v, Target& t) {
    t.read.push_back(v.pointer + "=" +
                     (v.member.empty() ? v.json.dump() : std::string(v.member) + ":" + v.json.dump()));
}

constexpr std::array<std::string_view, 3> kColours{"red", "green", "blue"};
constexpr std::array<std::string_view, 5> kSizes{"tiny", "small", "medium", "large", "huge"};
constexpr NameSyntax kTag{"tag", 8, "-"};
constexpr MapSpec kByColour{.noun = "colour",
                            .names = [] { return std::span<const std::string_view>(kColours); },
                            .value = integer_value("weight", 0, 9)};
constexpr MapSpec kByTag{.noun = "tag", .syntax = &kTag, .value = boolean_value()};

constexpr std::array kKeys{
    Key<Target>{{"level", integer_value("level", 3, 3), true}, note},
    Key<Target>{{"count", integer_value("count", -2, 40)}, note},
    Key<Target>{{"ratio", number_value("ratio", 0.5, 1e9)}, note},
    Key<Target>{{"colour", choice_value("colour", [] { return std::span<const std::string_view>(kColours); })}, note},
    Key<Target>{{"size", choice_value("size", [] { return std::span<const std::string_view>(kSizes); })}, note},
    Key<Target>{{"either", one_or_list(ValueSpec{
                               .types = JsonType::integer | JsonType::string, .noun = "either", .min = 0, .max = 1})},
                note},
    Key<Target>{{"named", one_or_list(ValueSpec{.types = JsonType::integer | JsonType::string,
                                                .noun = "port",
                                                .expected = "a port or a range",
                                                .min = 0,
                                                .max = 9,
                                                .empty_list = "say nothing instead"})},
                note},
    Key<Target>{{"all", list_of(boolean_value())}, note},
    Key<Target>{{"weights", map_value(kByColour)}, note},
    Key<Target>{{"flags", map_value(kByTag)}, note},
    Key<Target>{{"tag", named_value(kTag)}, note},
};

std::vector<std::string> messages(const std::string& json, Target* target = nullptr) {
    DiagnosticSink sink("t.json");
    KeyReader reader(sink);
    Target local;
    const PolicyJson object = PolicyJson::parse(json);
    (void)reader.read_object(object, "", kKeys, target != nullptr ? *target : local);
    std::vector<std::string> out;
    for (const Diagnostic& d : sink.take()) out.push_back(d.to_string());
    return out;
}

BOOST_AUTO_TEST_SUITE(key_reader)

BOOST_AUTO_TEST_CASE(bounds_in_messages_are_the_description_s) {
    BOOST_TEST(
        messages(R"({"level": 4, "count": -3, "ratio": 0.25})") ==
            (std::vector<std::string>{"t.json: error: /level: unsupported level 4; this icmpgate reads level 3",
                                      "t.json: error: /count: count -3 is out of range -2..40",
                                      "t.json: error: /ratio: ratio 0.25 is out of range: it must be above 0.5 and "
                                      "at most 1000000000"}),
        boost::test_tools::per_element());
    BOOST_TEST(messages(R"({"level": 3, "count": 18446744073709551615})") ==
                   std::vector<std::string>{"t.json: error: /count: count 18446744073709551615 is out of range -2..40"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(wrong_types_are_told_what_the_description_expects) {
    BOOST_TEST(messages(R"({"level": "3", "ratio": true, "either": 1.5, "named": null, "all": {}, "tag": 7})") ==
                   (std::vector<std::string>{"t.json: error: /level: expected an integer, got string '3'",
                                             "t.json: error: /ratio: expected a number, got boolean true",
                                             "t.json: error: /either: expected a string or an integer, got number 1.5",
                                             "t.json: error: /named: expected a port or a range, got null",
                                             "t.json: error: /all: expected an array, got an object",
                                             "t.json: error: /tag: expected a string, got number 7"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(names_get_a_suggestion_or_a_short_list_of_choices) {
    BOOST_TEST(messages(R"({"level": 3, "colour": "gren", "size": "enormous"})") ==
                   (std::vector<std::string>{"t.json: error: /colour: unknown colour 'gren'; did you mean 'green'?",
                                             "t.json: error: /size: unknown size 'enormous'"}),
               boost::test_tools::per_element());
    BOOST_TEST(
        messages(R"({"level": 3, "colour": "purple"})") ==
            std::vector<std::string>{"t.json: error: /colour: unknown colour 'purple'; expected 'red', 'green' or "
                                     "'blue'"},
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lists_are_checked_element_by_element) {
    Target target;
    BOOST_TEST(messages(R"({"level": 3, "either": [0, "x", 2], "named": [], "all": [true, 1, false]})", &target) ==
                   (std::vector<std::string>{"t.json: error: /either/2: either 2 is out of range 0..1",
                                             "t.json: error: /named: say nothing instead",
                                             "t.json: error: /all/1: expected a boolean, got number 1"}),
               boost::test_tools::per_element());
    BOOST_TEST(target.read == (std::vector<std::string>{"/level=3", "/either/0=0", "/either/1=\"x\"", "/all/0=true",
                                                        "/all/2=false"}),
               boost::test_tools::per_element());
    BOOST_TEST(messages(R"({"level": 3, "either": []})") ==
               std::vector<std::string>{"t.json: error: /either: an empty list matches nothing"});
}

BOOST_AUTO_TEST_CASE(map_members_are_names_from_a_list_or_of_a_syntax) {
    Target target;
    BOOST_TEST(messages(R"({"level": 3, "weights": {"red": 1, "bleu": 2, "blue": 10},
                            "flags": {"ok-1": true, "not ok": false, "also-ok": 1}})",
                        &target) ==
                   (std::vector<std::string>{
                       "t.json: error: /weights/bleu: unknown colour 'bleu'; did you mean 'blue'?",
                       "t.json: error: /weights/blue: weight 10 is out of range 0..9",
                       "t.json: error: /flags/not ok: 'not ok' is not a valid tag: use 1 to 8 characters from A-Z a-z "
                       "0-9 -",
                       "t.json: error: /flags/also-ok: expected a boolean, got number 1"}),
               boost::test_tools::per_element());
    // An unknown name's value is not read; a badly spelt name's is.
    BOOST_TEST(target.read == (std::vector<std::string>{"/level=3", "/weights/red=red:1", "/flags/ok-1=ok-1:true",
                                                        "/flags/not ok=not ok:false"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_and_unknown_keys_are_reported_the_table_s_way) {
    BOOST_TEST(messages(R"({"colur": "red", "extra": 1})") ==
                   (std::vector<std::string>{"t.json: error: missing required key \"level\"",
                                             "t.json: error: /colur: unknown key \"colur\"; did you mean \"colour\"?",
                                             "t.json: error: /extra: unknown key \"extra\""}),
               boost::test_tools::per_element());
    BOOST_TEST(messages("[]") == std::vector<std::string>{"t.json: error: expected an object, got an array"});
}

BOOST_AUTO_TEST_CASE(keys_are_read_in_table_order) {
    Target target;
    BOOST_TEST(messages(R"({"tag": "a-b", "count": 1, "level": 3})", &target).empty());
    BOOST_TEST(target.read == (std::vector<std::string>{"/level=3", "/count=1", "/tag=\"a-b\""}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(name_syntax_gives_its_fault_and_its_schema_pattern) {
    BOOST_TEST(name_syntax_fault("a-b", kTag).empty());
    BOOST_TEST(name_syntax_fault("", kTag) == "'' is not a valid tag: use 1 to 8 characters from A-Z a-z 0-9 -");
    BOOST_TEST(!name_syntax_fault("abcdefghi", kTag).empty());
    BOOST_TEST(!name_syntax_fault("a_b", kTag).empty());
    BOOST_TEST(name_syntax_pattern(kTag) == "^[A-Za-z0-9-]{1,8}$");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
