#pragma once
// The one writer of log lines: verdict lines (verdict_line.h), icmpgate's events
// (icmpgate_event.h) and the stats event (filter/metrics/stats_event.cc).
//
// Its bounds hold by construction (docs/log-format.md, "How a line is written"). A line is
// written through an Out<N>: a position that is at most N bytes past the start of the line.
// Every put takes an Out<N> and returns an Out<N + M>, where M is the most that put can write,
// fixed at compile time by what it writes: a key's length, the digits of the value's type, six
// bytes per byte of a text it first cuts to a stated length. A part written only sometimes
// (when), one of two parts (either) and a part repeated at most K times (repeat<K>) take the
// larger alternative or K times the part. So the type a line's writing function returns is its
// worst case, summed by the compiler over the code that writes it; a buffer of that size (plus
// kLineSlack) is never overrun, whatever the values, and nothing is checked while writing.
//
// Two places a line is written into: a FixedLine, a buffer of its own whose size is the
// writing function's worst case (verdict lines, icmpgate's events: no allocation), and a
// GrowingLine, a string grown before each part by that part's worst case (the stats event,
// whose length depends on how many rules, limiters and queues there are).

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "filter/decode/ip_address.h"
#include "filter/log/eve_timestamp.h"
#include "filter/log/ip_text.h"
#include "filter/log/json_text.h"

namespace icmpgate::log {

// Bytes a put may store past the end of what it declares: fixed-size copies (a key is copied as
// one JsonKey::kCopyBytes block, a timestamp with one spare byte) whose tail the next put
// overwrites. Every buffer has this much room after its worst case.
inline constexpr std::size_t kLineSlack = JsonKey::kCopyBytes;
static_assert(EveTimestampCache::kPutBytes - kEveTimestampLength <= kLineSlack);

// A position in a line, at most MaxBytes bytes past the line's start.
template <std::size_t MaxBytes>
struct Out {
    static constexpr std::size_t kMaxBytes = MaxBytes;
    char* at;
};

template <typename T>
inline constexpr bool kIsOut = false;
template <std::size_t N>
inline constexpr bool kIsOut<Out<N>> = true;

// The worst case of a writing function: what it returns when given the start of a line.
template <typename Write>
inline constexpr std::size_t kMaxBytesOf = std::invoke_result_t<Write&, Out<0>>::kMaxBytes;

namespace detail {
// `end`, written by a step of at most Step bytes from `from`, as the position after it.
template <std::size_t Step, std::size_t N>
Out<N + Step> after(Out<N> /*from*/, char* end) noexcept {
    return {end};
}
}  // namespace detail

// ---- fixed text -------------------------------------------------------------------------

// Text fixed at compile time (a string literal), usable as a template argument.
template <std::size_t N>
struct Literal {
    consteval Literal(const char (&text)[N]) noexcept {  // NOLINT(google-explicit-constructor): literals
        for (std::size_t i = 0; i + 1 < N; ++i) chars[i] = text[i];
    }
    static constexpr std::size_t kSize = N - 1;
    std::array<char, N> chars{};
};

// The literal as it is (JSON punctuation, fixed members: text the author wrote as valid JSON).
template <Literal Text, std::size_t N>
Out<N + decltype(Text)::kSize> put_literal(Out<N> out) noexcept {
    std::memcpy(out.at, Text.chars.data(), decltype(Text)::kSize);
    return {out.at + decltype(Text)::kSize};
}

template <char C, std::size_t N>
Out<N + 1> put_char(Out<N> out) noexcept {
    *out.at = C;
    return {out.at + 1};
}

// A ',' before every element or member but the first.
template <std::size_t N>
Out<N + 1> put_separator(Out<N> out, bool first) noexcept {
    *out.at = ',';
    return {out.at + (first ? 0 : 1)};
}

// `,"name":` (put_key) or `"name":` (put_first_key, an object's first member). A key is a
// JsonKey: one that would need escaping does not compile.
template <JsonKey Key, std::size_t N>
Out<N + Key.size> put_key(Out<N> out) noexcept {
    return {unchecked::put_key<Key>(out.at)};
}
template <JsonKey Key, std::size_t N>
Out<N + Key.size - 1> put_first_key(Out<N> out) noexcept {
    return {unchecked::put_first_key<Key>(out.at)};
}

// ---- numbers ----------------------------------------------------------------------------

// Decimal digits of the largest value of an unsigned type: 3, 5, 10, 20.
template <std::unsigned_integral T>
inline constexpr std::size_t kDigitsOf = std::numeric_limits<T>::digits10 + 1;

// The decimal text of `value`, at most the digits of its type.
template <std::unsigned_integral T, std::size_t N>
Out<N + kDigitsOf<T>> put_unsigned(Out<N> out, T value) noexcept {
    return {unchecked::put_unsigned(out.at, value)};
}

template <std::size_t N>
Out<N + 5> put_bool(Out<N> out, bool value) noexcept {
    if (value) {
        std::memcpy(out.at, "true", 4);
        return {out.at + 4};
    }
    std::memcpy(out.at, "false", 5);
    return {out.at + 5};
}

// A member holding a number: `,"name":123`.
template <JsonKey Key, std::unsigned_integral T, std::size_t N>
auto put_number(Out<N> out, T value) noexcept {
    return put_unsigned(put_key<Key>(out), value);
}

// ---- strings ----------------------------------------------------------------------------

// A string of the program's own words (names from the ICMP catalogue, the anomaly table, the
// reasons, EVE's words): copied without an escape scan, cut to MaxBytes. Each table states that
// its words need no escaping where it is defined (static_assert), and MaxBytes is its longest
// word, worked out from the table at compile time: the cut never happens, it only makes the
// bound independent of the table's contents.
template <std::size_t MaxBytes, std::size_t N>
Out<N + MaxBytes + 2> put_word(Out<N> out, std::string_view word) noexcept {
    return {unchecked::put_plain_string(out.at, {word.data(), std::min(word.size(), MaxBytes)})};
}
// Two words written as one string ("anomaly:" "truncated"), at most MaxBytes together.
template <std::size_t MaxBytes, std::size_t N>
Out<N + MaxBytes + 2> put_words(Out<N> out, std::string_view first, std::string_view second) noexcept {
    const std::size_t first_size = std::min(first.size(), MaxBytes);
    return {unchecked::put_plain_string(out.at, {first.data(), first_size},
                                        {second.data(), std::min(second.size(), MaxBytes - first_size)})};
}

// Text from outside the program (a file name, an interface name, a name from a policy that was
// not checked), escaped (RFC 8259 7; bytes that are not UTF-8 become U+FFFD) after being cut to
// MaxBytes at a character boundary: at most six bytes per byte kept.
template <std::size_t MaxBytes, std::size_t N>
Out<N + kEscapedBytesPerInputByte * MaxBytes> put_escaped_text(Out<N> out, std::string_view text) noexcept {
    return {unchecked::put_escaped(out.at, clamp_utf8(text, MaxBytes))};
}
template <std::size_t MaxBytes, std::size_t N>
auto put_escaped_string(Out<N> out, std::string_view text) noexcept {
    return put_char<'"'>(put_escaped_text<MaxBytes>(put_char<'"'>(out), text));
}

// Text that a check at its source found plain (rules::is_plain_text, when a policy was compiled),
// copied without a scan, cut to MaxBytes at a character boundary.
template <std::size_t MaxBytes, std::size_t N>
Out<N + MaxBytes> put_checked_plain_text(Out<N> out, std::string_view text) noexcept {
    return {unchecked::put_plain(out.at, clamp_utf8(text, MaxBytes))};
}

// An escaped member name known only at run time (a rule id or limiter name as a key of the stats
// event): `"name":`.
template <std::size_t MaxBytes, std::size_t N>
auto put_escaped_key(Out<N> out, std::string_view name) noexcept {
    return put_char<':'>(put_escaped_string<MaxBytes>(out, name));
}

// ---- addresses and time -----------------------------------------------------------------

// An address as a string: dotted decimal, or IPv6 in the form asked for.
template <std::size_t N>
Out<N + decode::kIpAddressTextMax + 2> put_address(Out<N> out, const decode::IpAddress& address,
                                                   Ipv6Text ipv6) noexcept {
    static_assert(kIpv6ExpandedLength <= decode::kIpAddressTextMax);
    char* at = out.at;
    *at++ = '"';
    at = put_address_text(at, address, ipv6);  // writes within kIpAddressTextMax
    *at++ = '"';
    return {at};
}

// EVE's timestamp as a string (eve_timestamp.h).
template <std::size_t N>
Out<N + kEveTimestampLength + 2> put_timestamp(Out<N> out, EveTimestampCache& cache, std::int64_t ns) noexcept {
    char* at = out.at;
    *at++ = '"';
    at = cache.put(at, ns);  // kPutBytes: one byte past the text, within kLineSlack
    *at++ = '"';
    return {at};
}

// ---- parts written sometimes, one of two, or several times ------------------------------

// write(out) when `condition`, else nothing; its worst case either way.
template <std::size_t N, typename Write>
auto when(bool condition, Out<N> out, Write&& write) noexcept {
    using Written = std::invoke_result_t<Write&, Out<N>>;
    static_assert(kIsOut<Written> && Written::kMaxBytes >= N);
    return Out<Written::kMaxBytes>{condition ? write(out).at : out.at};
}

// first(out) or second(out); the larger worst case of the two.
template <std::size_t N, typename First, typename Second>
auto either(bool take_first, Out<N> out, First&& first, Second&& second) noexcept {
    constexpr std::size_t kFirst = std::invoke_result_t<First&, Out<N>>::kMaxBytes;
    constexpr std::size_t kSecond = std::invoke_result_t<Second&, Out<N>>::kMaxBytes;
    return Out<std::max(kFirst, kSecond)>{take_first ? first(out).at : second(out).at};
}

// write(element start, index) for index 0 .. min(count, MaxCount) - 1: MaxCount times the
// worst case of one element, whatever `count` says.
template <std::size_t MaxCount, std::size_t N, typename Write>
auto repeat(Out<N> out, std::size_t count, Write&& write) noexcept {
    constexpr std::size_t kElement = std::invoke_result_t<Write&, Out<0>, std::size_t>::kMaxBytes;
    char* at = out.at;
    for (std::size_t i = 0; i < std::min(count, MaxCount); ++i) at = write(Out<0>{at}, i).at;
    return Out<N + MaxCount * kElement>{at};
}

// ---- where a line is written --------------------------------------------------------------

// A line in a buffer of its own, sized for the worst case of the functions that write into it
// (at most MaxBytes, checked at compile time): no allocation, no check while writing.
template <std::size_t MaxBytes>
class FixedLine {
public:
    static constexpr std::size_t kMaxBytes = MaxBytes;

    // Replaces the line with what write(Out<0>) writes.
    template <typename Write>
    void write(Write&& write) noexcept {
        static_assert(kMaxBytesOf<Write> <= MaxBytes, "the line's buffer must hold the writer's worst case");
        size_ = static_cast<std::size_t>(write(Out<0>{buffer_.data()}).at - buffer_.data());
    }

    [[nodiscard]] std::string_view view() const noexcept { return {buffer_.data(), size_}; }
    [[nodiscard]] const char* data() const noexcept { return buffer_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::array<char, MaxBytes + kLineSlack> buffer_{};
    std::size_t size_{0};
};

// A line of any length in a string, written part by part: before each part the string grows by
// that part's worst case (plus kLineSlack) and shrinks to what it wrote after. For cold paths
// (it allocates).
class GrowingLine {
public:
    template <typename Write>
    void append(Write&& write) {
        const std::size_t start = text_.size();
        text_.resize(start + kMaxBytesOf<Write> + kLineSlack);
        const char* const end = write(Out<0>{text_.data() + start}).at;
        text_.resize(static_cast<std::size_t>(end - text_.data()));
    }

    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] std::string take() noexcept { return std::move(text_); }

private:
    std::string text_;
};

}  // namespace icmpgate::log
