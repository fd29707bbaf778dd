#include "filter/log/line_writer.h"

#include <algorithm>
#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/address.h"

namespace {

using icmpgate::log::clamp_utf8;
using icmpgate::log::FixedLine;
using icmpgate::log::GrowingLine;
using icmpgate::log::kLineSlack;
using icmpgate::log::Out;
namespace lw = icmpgate::log;

// What each put declares is what the type of its result says, at compile time.
static_assert(decltype(lw::put_unsigned(Out<0>{}, std::uint8_t{}))::kMaxBytes == 3);
static_assert(decltype(lw::put_unsigned(Out<0>{}, std::uint16_t{}))::kMaxBytes == 5);
static_assert(decltype(lw::put_unsigned(Out<0>{}, std::uint32_t{}))::kMaxBytes == 10);
static_assert(decltype(lw::put_unsigned(Out<0>{}, std::uint64_t{}))::kMaxBytes == 20);
static_assert(decltype(lw::put_key<"ab">(Out<7>{}))::kMaxBytes == 7 + 6);  // ,"ab":
static_assert(decltype(lw::put_first_key<"ab">(Out<0>{}))::kMaxBytes == 5);
static_assert(decltype(lw::put_escaped_string<10>(Out<0>{}, {}))::kMaxBytes == 62);
static_assert(decltype(lw::put_word<9>(Out<0>{}, {}))::kMaxBytes == 11);
static_assert(decltype(lw::put_literal<"abc">(Out<1>{}))::kMaxBytes == 4);
// when: the part's worst case; either: the larger; repeat<K>: K times the element.
static_assert(decltype(lw::when(true, Out<2>{}, [](auto o) { return lw::put_literal<"xyz">(o); }))::kMaxBytes == 5);
static_assert(decltype(lw::either(
                  true, Out<0>{}, [](auto o) { return lw::put_literal<"ab">(o); },
                  [](auto o) { return lw::put_literal<"abcd">(o); }))::kMaxBytes == 4);
static_assert(decltype(lw::repeat<3>(Out<1>{}, 9, [](auto o, std::size_t) {
                  return lw::put_unsigned(o, std::uint8_t{});
              }))::kMaxBytes == 1 + 3 * 3);

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

constexpr std::size_t kTextMax = 64;

// One string value, escaped, in a line of its own.
std::string escaped(std::string_view text) {
    FixedLine<decltype(lw::put_escaped_string<kTextMax>(Out<0>{}, {}))::kMaxBytes> line;
    line.write([&](Out<0> out) { return lw::put_escaped_string<kTextMax>(out, text); });
    return std::string{line.view()};
}

// What `write` leaves in a buffer of its declared worst case plus kLineSlack, every other byte
// of which holds a guard: the text it wrote, after checking it stayed within its declaration
// and the fixed-size copies within the slack.
template <typename Write>
std::string written_within_declared(Write write) {
    constexpr std::size_t kMax = lw::kMaxBytesOf<Write>;
    constexpr char kGuard = '\x5a';
    std::vector<char> buffer(kMax + kLineSlack + 64, kGuard);
    const char* const end = write(Out<0>{buffer.data()}).at;
    const auto size = static_cast<std::size_t>(end - buffer.data());
    BOOST_TEST(size <= kMax);
    BOOST_TEST(std::all_of(buffer.begin() + static_cast<std::ptrdiff_t>(kMax + kLineSlack), buffer.end(),
                           [](char c) { return c == kGuard; }));
    return {buffer.data(), size};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(line_writer)

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

BOOST_AUTO_TEST_CASE(clamps_text_between_utf8_characters) {
    BOOST_TEST(clamp_utf8("abcdef", 4) == "abcd");
    BOOST_TEST(clamp_utf8("abc", 4) == "abc");
    // "\xC3\xA8" is one character: cutting after its first byte would leave half of it.
    BOOST_TEST(clamp_utf8("ab\xC3\xA8", 3) == "ab");
    BOOST_TEST(clamp_utf8("\xF0\x9F\x94\xA5z", 3).empty());
}

BOOST_AUTO_TEST_CASE(cuts_text_to_its_stated_length_before_escaping) {
    BOOST_TEST(escaped(std::string(kTextMax + 5, 'x')) == "\"" + std::string(kTextMax, 'x') + "\"");
    const std::string cut =
        written_within_declared([](auto out) { return lw::put_escaped_string<3>(out, "ab\xC3\xA8z"); });
    BOOST_TEST(cut == R"("ab")");
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

// Each put at its largest input writes at most what its type declares, and its fixed-size
// copies stay within kLineSlack.
BOOST_AUTO_TEST_CASE(every_put_stays_within_what_it_declares) {
    BOOST_TEST(written_within_declared([](auto o) { return lw::put_unsigned(o, UINT64_MAX); }) ==
               "18446744073709551615");
    BOOST_TEST(written_within_declared([](auto o) { return lw::put_unsigned(o, std::uint8_t{255}); }) == "255");
    BOOST_TEST(written_within_declared([](auto o) { return lw::put_bool(o, false); }) == "false");
    BOOST_TEST(written_within_declared([](auto o) { return lw::put_key<"a_rather_long_key_name">(o); }) ==
               R"(,"a_rather_long_key_name":)");
    // Every byte escaping to six.
    const std::string controls(kTextMax, '\x01');
    std::string expected = "\"";
    for (std::size_t i = 0; i < kTextMax; ++i) expected += "\\u0001";
    BOOST_TEST(written_within_declared([&](auto o) { return lw::put_escaped_string<kTextMax>(o, controls); }) ==
               expected + "\"");
    const std::string invalid(kTextMax, '\xFF');
    BOOST_TEST(written_within_declared([&](auto o) { return lw::put_escaped_text<kTextMax>(o, invalid); }).size() ==
               6 * kTextMax);
    // The longest address texts.
    using icmpgate::test::ip;
    BOOST_TEST(written_within_declared([](auto o) {
                   return lw::put_address(o, ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), lw::Ipv6Text::rfc5952);
               }) == R"("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")");
    BOOST_TEST(written_within_declared([](auto o) {
                   return lw::put_address(o, ip("2001:db8::1"), lw::Ipv6Text::expanded);
               }) == R"("2001:0db8:0000:0000:0000:0000:0000:0001")");
    BOOST_TEST(written_within_declared([](auto o) {
                   return lw::put_address(o, ip("255.255.255.255"), lw::Ipv6Text::rfc5952);
               }) == R"("255.255.255.255")");
    // A word longer than its table's bound is cut, not written past it.
    BOOST_TEST(written_within_declared([](auto o) { return lw::put_word<4>(o, "abcdefgh"); }) == R"("abcd")");
    BOOST_TEST(written_within_declared([](auto o) { return lw::put_words<6>(o, "abcd", "efgh"); }) == R"("abcdef")");
    lw::EveTimestampCache cache;
    BOOST_TEST(written_within_declared([&](auto o) { return lw::put_timestamp(o, cache, INT64_MIN); }) ==
               R"("1677-09-21T00:12:43.145224+0000")");
}

BOOST_AUTO_TEST_CASE(writes_parts_sometimes_one_of_two_or_repeated) {
    const auto write = [](bool flag, std::size_t count) {
        return written_within_declared([&](auto o) {
            const auto open = lw::put_char<'{'>(o);
            const auto sometimes = lw::when(flag, open, [](auto w) { return lw::put_first_key<"w">(w); });
            const auto one = lw::either(
                flag, sometimes, [](auto e) { return lw::put_literal<"true">(e); },
                [](auto e) { return lw::put_literal<R"("none":null)">(e); });
            const auto list = lw::repeat<3>(lw::put_literal<R"(,"list":[)">(one), count, [](auto e, std::size_t i) {
                return lw::put_unsigned(lw::put_separator(e, i == 0), static_cast<std::uint8_t>(i * 100));
            });
            return lw::put_literal<"]}">(list);
        });
    };
    BOOST_TEST(write(true, 2) == R"({"w":true,"list":[0,100]})");
    BOOST_TEST(write(false, 0) == R"({"none":null,"list":[]})");
    BOOST_TEST(write(true, 9) == R"({"w":true,"list":[0,100,200]})");  // never more than the bound
}

BOOST_AUTO_TEST_CASE(writes_numbers_of_every_width) {
    std::uint64_t value = 0;
    for (int digits = 1; digits <= 20; ++digits) {
        for (const std::uint64_t v : {value, value + 1, value * 10 + 9})
            BOOST_TEST(written_within_declared([&](auto o) { return lw::put_unsigned(o, v); }) == std::to_string(v));
        value = value * 10 + 1;
    }
}

// Numbers from 10^8 up are written as a head and eight digits with their zeros.
BOOST_AUTO_TEST_CASE(writes_numbers_across_the_eight_digit_split) {
    for (const std::uint64_t v :
         {99'999'999ULL, 100'000'000ULL, 100'000'001ULL, 1'000'000'000ULL, 2'000'000'004ULL, 4'294'967'295ULL,
          1'234'567'800'000'009ULL, 9'999'999'999'999'999ULL, 10'000'000'000'000'000ULL, 18'446'744'073'709'551'615ULL})
        BOOST_TEST(written_within_declared([&](auto o) { return lw::put_unsigned(o, v); }) == std::to_string(v));
}

BOOST_AUTO_TEST_CASE(a_growing_line_takes_parts_of_any_number) {
    GrowingLine line;
    line.append([](Out<0> o) { return lw::put_literal<"[">(o); });
    for (std::uint16_t i = 0; i < 1000; ++i)
        line.append([&](Out<0> o) { return lw::put_unsigned(lw::put_separator(o, i == 0), i); });
    line.append([](Out<0> o) { return lw::put_literal<"]">(o); });
    const nlohmann::json parsed = nlohmann::json::parse(line.text());
    BOOST_TEST(parsed.size() == 1000U);
    BOOST_TEST(parsed[999] == 999);
    BOOST_TEST(line.text().size() == 2 + 999 + 10 + 90 * 2 + 900 * 3);
}

BOOST_AUTO_TEST_CASE(a_fixed_line_replaces_its_text) {
    FixedLine<16> line;
    line.write([](Out<0> o) { return lw::put_literal<"first line">(o); });
    line.write([](Out<0> o) { return lw::put_literal<"second">(o); });
    BOOST_TEST(line.view() == "second");
    BOOST_TEST(line.size() == 6U);
}

BOOST_AUTO_TEST_SUITE_END()
