#include "filter/log/json_writer.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace {

using icmpgate::log::clamp_utf8;
using icmpgate::log::JsonWriter;

// Writes one string value and returns the JSON text.
std::string escaped(std::string_view text) {
    std::array<char, 256> buffer{};
    JsonWriter out{buffer};
    out.string_value(text);
    BOOST_REQUIRE(!out.overflowed());
    return std::string{out.view()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(escapes_quote_and_backslash) {
    BOOST_TEST(escaped(R"(a"b\c)") == R"("a\"b\\c")");
}

BOOST_AUTO_TEST_CASE(escapes_control_characters_short_where_json_has_a_short_form) {
    BOOST_TEST(escaped("\n\r\t\b\f") == R"("\n\r\t\b\f")");
    BOOST_TEST(escaped(std::string_view{"\x00\x01\x1f\x7f", 4}) == R"("\u0000\u0001\u001f\u007f")");
}

BOOST_AUTO_TEST_CASE(passes_valid_utf8_through_unchanged) {
    BOOST_TEST(escaped("r\xC3\xA8gle-\xE2\x86\x92-\xF0\x9F\x94\xA5") == "\"r\xC3\xA8gle-\xE2\x86\x92-\xF0\x9F\x94\xA5\"");
}

BOOST_AUTO_TEST_CASE(replaces_bytes_that_are_not_utf8) {
    // A lone continuation byte, an overlong "/", a surrogate and a sequence cut short.
    BOOST_TEST(escaped("a\x80" "b") == R"("a\ufffdb")");
    BOOST_TEST(escaped("\xC0\xAF") == R"("\ufffd\ufffd")");
    BOOST_TEST(escaped("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");
    BOOST_TEST(escaped("x\xE2\x86") == R"("x\ufffd\ufffd")");
}

BOOST_AUTO_TEST_CASE(escaped_text_round_trips_through_a_json_parser) {
    const std::string original{"quote\" backslash\\ nl\n ctl\x01 del\x7f r\xC3\xA8gle"};
    BOOST_TEST(nlohmann::json::parse(escaped(original)).get<std::string>() == original);
}

BOOST_AUTO_TEST_CASE(separates_members_and_array_elements_with_commas) {
    std::array<char, 256> buffer{};
    JsonWriter out{buffer};
    out.begin_object();
    out.key("a");
    out.unsigned_value(1);
    out.key("b");
    out.begin_object();
    out.key("c");
    out.signed_value(-2);
    out.key("d");
    out.bool_value(false);
    out.end_object();
    out.key("e");
    out.begin_array();
    out.string_value("x");
    out.string_value("y", "z");
    out.null_value();
    out.end_array();
    out.key("f");
    out.bool_value(true);
    out.end_object();
    BOOST_TEST(out.view() == R"({"a":1,"b":{"c":-2,"d":false},"e":["x","yz",null],"f":true})");
}

BOOST_AUTO_TEST_CASE(writes_extreme_integers_exactly) {
    std::array<char, 64> buffer{};
    JsonWriter out{buffer};
    out.begin_array();
    out.unsigned_value(UINT64_MAX);
    out.signed_value(INT64_MIN);
    out.end_array();
    BOOST_TEST(out.view() == "[18446744073709551615,-9223372036854775808]");
}

BOOST_AUTO_TEST_CASE(stops_and_reports_when_the_buffer_is_full) {
    std::array<char, 8> buffer{};
    JsonWriter out{buffer};
    out.string_value("0123456789");
    BOOST_TEST(out.overflowed());
    BOOST_TEST(out.size() <= buffer.size());
    out.null_value();
    BOOST_TEST(out.overflowed());
}

BOOST_AUTO_TEST_CASE(clamps_text_between_utf8_characters) {
    BOOST_TEST(clamp_utf8("abcdef", 4) == "abcd");
    BOOST_TEST(clamp_utf8("abc", 4) == "abc");
    // "\xC3\xA8" is one character: cutting after its first byte would leave half of it.
    BOOST_TEST(clamp_utf8("ab\xC3\xA8", 3) == "ab");
    BOOST_TEST(clamp_utf8("\xF0\x9F\x94\xA5z", 3).empty());
}

BOOST_AUTO_TEST_SUITE_END()
