#include "filter/log/json_writer.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

using icmpgate::log::clamp_utf8;
using icmpgate::log::JsonWriter;

// A byte-at-a-time escaper written from RFC 8259 7 and RFC 3629 4 for comparison with the
// writer's word-at-a-time scan (only ASCII and the UTF-8 forms the inputs below use).
std::string reference_escape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
        } else if (byte == '\n') {
            out += "\\n";
        } else if (byte == '\t') {
            out += "\\t";
        } else if (byte < 0x20 || byte == 0x7F) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else if (byte < 0x80) {
            out += static_cast<char>(byte);
        } else if (byte == 0xC3 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
            out += text.substr(i, 2);  // a valid two-byte sequence
            ++i;
        } else {
            out += "\\ufffd";
        }
    }
    return out;
}

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
    BOOST_TEST(escaped("r\xC3\xA8gle-\xE2\x86\x92-\xF0\x9F\x94\xA5") ==
               "\"r\xC3\xA8gle-\xE2\x86\x92-\xF0\x9F\x94\xA5\"");
}

BOOST_AUTO_TEST_CASE(replaces_bytes_that_are_not_utf8) {
    // A lone continuation byte, an overlong "/", a surrogate and a sequence cut short.
    BOOST_TEST(escaped("a\x80"
                       "b") == R"("a\ufffdb")");
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

// The scan takes 8 bytes at a time, the last word overlapping, 4-byte halves for short text:
// every special byte at every position of every length up to 40 must escape as the
// byte-at-a-time reference does.
BOOST_AUTO_TEST_CASE(escapes_special_bytes_at_every_position_of_every_length) {
    const std::string specials[] = {"\"",   "\\",   std::string(1, '\0'), "\x1f", "\x7f", "\n", "\t",
                                    "\x80", "\xff", "\xC3\xA8",           "\xC3", " ",    "~"};
    for (std::size_t length = 0; length <= 40; ++length) {
        const std::string plain(length, 'a');
        BOOST_TEST(escaped(plain) == "\"" + plain + "\"");
        for (std::size_t position = 0; position < length; ++position)
            for (const std::string& special : specials) {
                std::string text = plain;
                text.replace(position, 1, special);
                const std::string expected = "\"" + reference_escape(text) + "\"";
                if (escaped(text) != expected) BOOST_TEST(escaped(text) == expected);
            }
    }
}

BOOST_AUTO_TEST_CASE(writes_fixed_runtime_and_template_keys_alike) {
    std::array<char, 128> buffer{};
    JsonWriter out{buffer};
    out.begin_object();
    out.key("fixed");
    out.null_value();
    out.key<"template">();
    out.unsigned_value(7);
    const std::string runtime{"run\"time"};
    out.key(runtime);
    out.plain_string_value("anomaly:", "truncated");
    out.key(std::string_view{"view"});
    out.formatted_string_value<8>([](char* at) {
        for (const char c : std::string_view{"1.2.3.4"}) *at++ = c;
        return at;
    });
    out.end_object();
    BOOST_TEST(out.view() == R"({"fixed":null,"template":7,"run\"time":"anomaly:truncated","view":"1.2.3.4"})");
}

BOOST_AUTO_TEST_CASE(writes_numbers_of_every_width) {
    std::array<char, 1024> buffer{};
    JsonWriter out{buffer};
    out.begin_array();
    std::string expected = "[";
    std::uint64_t value = 0;
    for (int digits = 1; digits <= 20; ++digits) {
        for (const std::uint64_t v : {value, value + 1, value * 10 + 9}) {
            out.unsigned_value(v);
            expected += (expected.size() > 1 ? "," : "") + std::to_string(v);
        }
        value = value * 10 + 1;
    }
    out.end_array();
    BOOST_TEST(out.view() == expected + "]");
}

// Numbers from 10^8 up are written as a head and eight digits with their zeros.
BOOST_AUTO_TEST_CASE(writes_numbers_across_the_eight_digit_split) {
    for (const std::uint64_t v : {99'999'999ULL, 100'000'000ULL, 100'000'001ULL, 1'000'000'000ULL, 2'000'000'004ULL,
                                  4'294'967'295ULL, 1'234'567'800'000'009ULL, 9'999'999'999'999'999ULL,
                                  10'000'000'000'000'000ULL, 18'446'744'073'709'551'615ULL}) {
        std::array<char, 64> buffer{};
        JsonWriter out{buffer};
        out.unsigned_value(v);
        BOOST_TEST(out.view() == std::to_string(v));
    }
}

// Every value kind written into every buffer size up to the full text: the text either fits
// and is byte for byte the full text (the checked path near the end of the buffer writes
// what the fast path writes), or the writer reports overflow.
BOOST_AUTO_TEST_CASE(near_the_end_of_the_buffer_writes_the_same_bytes_or_overflows) {
    const auto write_all = [](JsonWriter& out) {
        out.begin_object();
        out.key("a_fixed_key");
        out.string_value("esc\"aped\x01 r\xC3\xA8gle and more than eight bytes");
        out.key(std::string_view{"run\ntime"});
        out.plain_string_value("anomaly:", "bad-checksum");
        out.key<"n">();
        out.unsigned_value(18446744073709551615U);
        out.key<"small">();
        out.unsigned_value(42);
        out.key<"ip">();
        out.formatted_string_value<46>([](char* at) {
            for (const char c : std::string_view{"2001:db8::1"}) *at++ = c;
            return at;
        });
        out.key<"ts">();
        out.raw_string_value("2025-05-20T10:15:02.123456+0000");
        out.key<"list">();
        out.begin_array();
        out.bool_value(true);
        out.null_value();
        out.signed_value(-5);
        out.end_array();
        out.end_object();
        out.append_raw("\n");
    };
    std::array<char, 1024> big{};
    JsonWriter full{big};
    write_all(full);
    BOOST_REQUIRE(!full.overflowed());
    const std::string text{full.view()};
    BOOST_TEST(text ==
               "{\"a_fixed_key\":\"esc\\\"aped\\u0001 r\xC3\xA8gle and more than eight bytes\","
               "\"run\\ntime\":\"anomaly:bad-checksum\",\"n\":18446744073709551615,\"small\":42,"
               "\"ip\":\"2001:db8::1\",\"ts\":\"2025-05-20T10:15:02.123456+0000\",\"list\":[true,null,-5]}\n");
    for (std::size_t size = 0; size <= text.size() + 64; ++size) {
        std::vector<char> buffer(size);
        JsonWriter out{buffer};
        write_all(out);
        BOOST_TEST_CONTEXT("buffer of " << size << " bytes") {
            if (size < text.size()) {
                BOOST_TEST(out.overflowed());
                BOOST_TEST(out.size() <= size);
            } else {
                BOOST_TEST(!out.overflowed());
                BOOST_TEST(std::string{out.view()} == text);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
