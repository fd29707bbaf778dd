#pragma once
// The JSON text steps the line writer (line_writer.h) is built from. Those in namespace
// `unchecked` write through a plain char pointer with no room check: each writes at `out` and
// returns the end of what it wrote, within the room it states. Only line_writer.h calls them,
// through an Out<N> whose type carries that room; a line's layout never does.

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "filter/log/digit_pairs.h"

namespace icmpgate::log {

// Output bytes one input byte can become: a control character is "\u00XX", a byte that is
// not part of valid UTF-8 becomes "\ufffd".
inline constexpr std::size_t kEscapedBytesPerInputByte = 6;

// Long enough for any 64-bit integer in decimal, with its sign.
inline constexpr std::size_t kIntegerTextMax = 24;

namespace detail {
// clamp_utf8 of a text longer than max_bytes.
std::string_view cut_utf8(std::string_view text, std::size_t max_bytes) noexcept;
}  // namespace detail

// The longest prefix of `text` that is at most `max_bytes` long and does not end inside a
// UTF-8 sequence (so a clamped name still escapes to valid text). Inline: nearly every text
// is within its bound.
[[nodiscard]] inline std::string_view clamp_utf8(std::string_view text, std::size_t max_bytes) noexcept {
    return text.size() <= max_bytes ? text : detail::cut_utf8(text, max_bytes);
}

// Printable ASCII other than the two characters JSON escapes in strings (RFC 8259 7).
[[nodiscard]] constexpr bool is_plain_json_byte(char c) noexcept {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\';
}

namespace detail {
// Not constexpr on purpose: calling it from JsonKey's consteval constructor stops the build.
void json_key_needs_escaping() noexcept;
}  // namespace detail

// A member name fixed at compile time, stored as `,"name":`. The constructor is consteval,
// so a name that would need escaping (or is too long) does not compile. Usable as a template
// argument (put_key<"name">, line_writer.h), which keeps one copy of it in
// read-only data.
struct JsonKey {
    // Bytes copied per key whatever its length (a fixed-size copy is a few moves, no call).
    static constexpr std::size_t kCopyBytes = 32;

    template <std::size_t N>
    consteval JsonKey(const char (&name)[N]) noexcept  // NOLINT(google-explicit-constructor): keys are literals
        : size{N + 3} {
        static_assert(N + 3 <= kCopyBytes, "a fixed key must fit one fixed-size copy");
        text[0] = ',';
        text[1] = '"';
        for (std::size_t i = 0; i + 1 < N; ++i) {
            if (!is_plain_json_byte(name[i])) detail::json_key_needs_escaping();
            text[2 + i] = name[i];
        }
        text[N + 1] = '"';
        text[N + 2] = ':';
    }

    // The key with its leading comma.
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {text.data(), size}; }

    // Public only so that a key can be a template argument. kCopyBytes from offset 0 or 1
    // stay inside `text`.
    std::array<char, kCopyBytes + 1> text{};
    std::size_t size;
};

namespace unchecked {

// `,"name":` (or `"name":` without the comma for an object's first member). Room: kCopyBytes,
// written by one fixed-size copy whose bytes past the key the next value overwrites.
template <JsonKey Key>
char* put_key(char* out) noexcept {
    std::memcpy(out, Key.text.data(), JsonKey::kCopyBytes);
    return out + Key.size;
}
template <JsonKey Key>
char* put_first_key(char* out) noexcept {
    std::memcpy(out, Key.text.data() + 1, JsonKey::kCopyBytes);
    return out + Key.size - 1;
}

// Copies `text` without a scan, in fixed-size blocks (16 bytes, or 8 or 4 for short text)
// with the last block overlapping the one before it: no call to memcpy, a few moves for a
// name. Room: text.size(). Only for text that needs no escaping (the program's own names,
// checked by a static_assert where they are defined, or names a policy's compiler checked).
inline char* put_plain(char* out, std::string_view text) noexcept {
    constexpr std::size_t kBlock = 16;
    constexpr std::size_t kWord = sizeof(std::uint64_t);
    constexpr std::size_t kHalf = sizeof(std::uint32_t);
    const char* const in = text.data();
    const std::size_t size = text.size();
    if (size >= kBlock) {
        for (std::size_t at = 0; at + kBlock < size; at += kBlock) std::memcpy(out + at, in + at, kBlock);
        std::memcpy(out + size - kBlock, in + size - kBlock, kBlock);
    } else if (size >= kWord) {
        std::memcpy(out, in, kWord);
        std::memcpy(out + size - kWord, in + size - kWord, kWord);
    } else if (size >= kHalf) {
        std::memcpy(out, in, kHalf);
        std::memcpy(out + size - kHalf, in + size - kHalf, kHalf);
    } else {
        for (std::size_t at = 0; at < size; ++at) out[at] = in[at];
    }
    return out + size;
}

// `text` escaped (RFC 8259 7; bytes that are not valid UTF-8 become U+FFFD). Room:
// kEscapedBytesPerInputByte * text.size().
char* put_escaped(char* out, std::string_view text) noexcept;

// The decimal text of `value` (below 10^4) without leading zeros.
inline char* put_up_to_four_digits(char* out, std::uint64_t value) noexcept {
    constexpr std::uint64_t kTen = 10;
    constexpr std::uint64_t kHundred = 100;
    if (value >= kHundred) {
        const std::uint64_t high = value / kHundred;
        if (high < kTen)
            *out++ = static_cast<char>('0' + high);
        else
            out = put_digit_pair(out, high);
        return put_digit_pair(out, value % kHundred);
    }
    if (value < kTen) {
        *out = static_cast<char>('0' + value);
        return out + 1;
    }
    return put_digit_pair(out, value);
}

// Exactly eight decimal digits of `value` (below 10^8), leading zeros included.
inline char* put_eight_digits(char* out, std::uint64_t value) noexcept {
    constexpr std::uint64_t kHundred = 100;
    constexpr std::uint64_t kTenThousand = 10'000;
    const std::uint64_t high = value / kTenThousand;
    const std::uint64_t low = value % kTenThousand;
    out = put_digit_pair(out, high / kHundred);
    out = put_digit_pair(out, high % kHundred);
    out = put_digit_pair(out, low / kHundred);
    return put_digit_pair(out, low % kHundred);
}

// The decimal text of `value` (below 10^8) without leading zeros.
inline char* put_below_hundred_million(char* out, std::uint64_t value) noexcept {
    constexpr std::uint64_t kHundred = 100;
    constexpr std::uint64_t kTenThousand = 10'000;
    if (value < kTenThousand) return put_up_to_four_digits(out, value);
    const std::uint64_t low = value % kTenThousand;
    out = put_up_to_four_digits(out, value / kTenThousand);
    out = put_digit_pair(out, low / kHundred);
    return put_digit_pair(out, low % kHundred);
}

// The decimal text of `value`. Room: kIntegerTextMax. Written from the pair table, four
// digits at a time, up to 10^16 (types, lengths, ids, sequence numbers, and the 10-digit
// signature ids every alert carries); larger ones by std::to_chars.
inline char* put_unsigned(char* out, std::uint64_t value) noexcept {
    constexpr std::uint64_t kHundredMillion = 100'000'000;
    constexpr std::uint64_t kTenToSixteen = kHundredMillion * kHundredMillion;
    if (value < kHundredMillion) return put_below_hundred_million(out, value);
    if (value >= kTenToSixteen) return std::to_chars(out, out + kIntegerTextMax, value).ptr;
    out = put_below_hundred_million(out, value / kHundredMillion);
    return put_eight_digits(out, value % kHundredMillion);
}

// A string value of plain text: `"first second"`. Room: sizes + 2.
inline char* put_plain_string(char* out, std::string_view first, std::string_view second = {}) noexcept {
    *out++ = '"';
    out = put_plain(out, first);
    out = put_plain(out, second);
    *out++ = '"';
    return out;
}

}  // namespace unchecked

}  // namespace icmpgate::log
