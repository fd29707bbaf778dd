#include "rules/json_positions.h"

#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace icmpgate::rules {
namespace {

// Every pointer a test asks about.
const std::vector<std::string_view> kAsked{
    "",       "/a",       "/b",    "/b/0",  "/b/1", "/b/1/c",  "/b/2", "/d", "/e",   "/f", "/c",     "/a/1", "/a/0/x",
    "/rules", "/rules/0", "/a~1b", "/m~0n", "/",    "/ty\"pe", "/1/k", "/2", "/a/b", "/0", "/0/0/0", "a"};

JsonPositions index(std::string_view text) {
    return JsonPositions(text, kAsked);
}

// The offset of the `occurrence`-th `needle` in `text`.
std::size_t at(std::string_view text, std::string_view needle, std::size_t occurrence = 0) {
    std::size_t found = text.find(needle);
    for (std::size_t i = 0; i < occurrence; ++i) found = text.find(needle, found + 1);
    return found;
}

BOOST_AUTO_TEST_SUITE(json_positions)

BOOST_AUTO_TEST_CASE(every_value_is_found_by_its_pointer) {
    const std::string text = R"( {"a": 1, "b": [true, {"c": null}, "x"], "d": {}, "e": [], "f": -2.5e3})";
    const JsonPositions positions = index(text);
    BOOST_TEST(positions.value_offset("").value() == 1U);
    BOOST_TEST(positions.value_offset("/a").value() == at(text, "1"));
    BOOST_TEST(positions.value_offset("/b").value() == at(text, "["));
    BOOST_TEST(positions.value_offset("/b/0").value() == at(text, "true"));
    BOOST_TEST(positions.value_offset("/b/1").value() == at(text, "{", 1));
    BOOST_TEST(positions.value_offset("/b/1/c").value() == at(text, "null"));
    BOOST_TEST(positions.value_offset("/b/2").value() == at(text, "\"x\""));
    BOOST_TEST(positions.value_offset("/d").value() == at(text, "{}"));
    BOOST_TEST(positions.value_offset("/e").value() == at(text, "[]"));
    BOOST_TEST(positions.value_offset("/f").value() == at(text, "-2.5e3"));
}

BOOST_AUTO_TEST_CASE(a_member_name_is_found_apart_from_its_value) {
    const std::string text = "{\n  \"rules\" :\t[\r\n 7 ]\n}";
    const JsonPositions positions = index(text);
    BOOST_TEST(positions.name_offset("/rules").value() == at(text, "\"rules\""));
    BOOST_TEST(positions.value_offset("/rules").value() == at(text, "["));
    // An element has no name: its value is where it is.
    BOOST_TEST(positions.name_offset("/rules/0").value() == at(text, "7"));
    BOOST_TEST(positions.name_offset("").value() == 0U);
}

BOOST_AUTO_TEST_CASE(absent_pointers_are_not_found) {
    const JsonPositions positions = index(R"({"a": [1]})");
    BOOST_TEST(!positions.value_offset("/b").has_value());
    BOOST_TEST(!positions.value_offset("/not-asked").has_value());
    BOOST_TEST(!positions.value_offset("/a/1").has_value());
    BOOST_TEST(!positions.value_offset("/a/0/x").has_value());
    BOOST_TEST(!positions.name_offset("a").has_value());
}

BOOST_AUTO_TEST_CASE(names_are_escaped_in_pointers_as_rfc_6901_says) {
    const std::string text = R"({"a/b": 1, "m~n": 2, "": 3, "\u0074y\"pe": 4})";
    const JsonPositions positions = index(text);
    BOOST_TEST(positions.value_offset("/a~1b").value() == at(text, "1"));
    BOOST_TEST(positions.value_offset("/m~0n").value() == at(text, "2"));
    BOOST_TEST(positions.value_offset("/").value() == at(text, "3"));
    // Escapes in a name are decoded, as the parser decodes them.
    BOOST_TEST(positions.value_offset("/ty\"pe").value() == at(text, ": 4") + 2);
    BOOST_TEST(positions.name_offset("/ty\"pe").value() == at(text, "\"\\u0074"));
}

BOOST_AUTO_TEST_CASE(strings_holding_brackets_quotes_and_commas_are_skipped_whole) {
    const std::string text = R"(["[{,\"]}", {"k": "}\\"}, 5])";
    const JsonPositions positions = index(text);
    BOOST_TEST(positions.value_offset("/1/k").value() == at(text, "\"}\\\\\""));
    BOOST_TEST(positions.value_offset("/2").value() == at(text, "5"));
}

BOOST_AUTO_TEST_CASE(a_repeated_member_is_at_its_last_occurrence_and_each_name_is_kept) {
    const std::string text = R"({"a": 1, "a": {"b": 2}, "a": 3})";
    const JsonPositions positions = index(text);
    BOOST_TEST(positions.value_offset("/a").value() == at(text, "3"));
    BOOST_TEST(positions.name_offset("/a").value() == at(text, "\"a\"", 2));
    BOOST_TEST(positions.name_offset("/a", 0).value() == at(text, "\"a\"", 0));
    BOOST_TEST(positions.name_offset("/a", 1).value() == at(text, "\"a\"", 1));
    BOOST_TEST(positions.name_offset("/a", 9).value() == at(text, "\"a\"", 2));
    // A value only the discarded occurrence had is still found where it was written.
    BOOST_TEST(positions.value_offset("/a/b").value() == at(text, "2"));
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_and_leading_space_come_before_the_root) {
    const JsonPositions positions = index("\xEF\xBB\xBF \n[0]");
    BOOST_TEST(positions.value_offset("").value() == 5U);
    BOOST_TEST(positions.value_offset("/0").value() == 6U);
}

BOOST_AUTO_TEST_CASE(malformed_text_keeps_what_was_read_before_the_fault) {
    for (const std::string_view text :
         {R"({"a": 1, "b": )", R"({"a": 1 "b": 2})", R"({"a": "open)", R"([1,,2])", R"({"a" 1})", "", "   ", R"({,})",
          R"([1}])", R"([[[)", R"(]]])", "\"", R"({"a": [1, {"b": "\)"}) {
        const JsonPositions positions = index(text);  // must not read past the text
        for (const std::string_view pointer : kAsked)
            if (const auto offset = positions.value_offset(pointer)) BOOST_TEST(*offset < text.size(), text);
    }
    const JsonPositions truncated = index(R"({"a": 1, "b": )");
    BOOST_TEST(truncated.value_offset("/a").value() == 6U);
    BOOST_TEST(!truncated.value_offset("/b").has_value());
}

BOOST_AUTO_TEST_CASE(deep_nesting_costs_a_scan_not_a_pointer_per_level) {
    constexpr std::size_t kDepth = 1'000'000;
    const std::string text = std::string(kDepth, '[') + std::string(kDepth, ']') + " ";
    const JsonPositions positions = index(text);
    BOOST_TEST(positions.value_offset("").value() == 0U);
    BOOST_TEST(positions.value_offset("/0/0/0").value() == 3U);
    std::string deep;
    for (std::size_t i = 0; i < 1000; ++i) deep += "/0";
    const std::vector<std::string_view> asked{deep};
    BOOST_TEST(JsonPositions(text, asked).value_offset(deep).value() == 1000U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
