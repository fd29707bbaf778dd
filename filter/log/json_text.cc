#include "filter/log/json_text.h"

#include <array>
#include <cstring>

namespace icmpgate::log {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kFirstNonAscii = 0x80;
constexpr unsigned char kContinuationMask = 0xC0;
constexpr unsigned char kContinuationBits = 0x80;
constexpr std::string_view kReplacementEscape = "\\ufffd";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kNibbleBits = 4;
constexpr unsigned kNibbleMask = 0xF;

constexpr bool is_continuation(unsigned char byte) noexcept {
    return (byte & kContinuationMask) == kContinuationBits;
}

// What the escape scan does with a byte: copy it, escape it, or check the UTF-8 sequence it
// starts. One table load per byte instead of four compares.
enum class ByteClass : std::uint8_t { plain, escape, non_ascii };
constexpr auto kByteClass = [] {
    std::array<ByteClass, 256> table{};
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto byte = static_cast<unsigned char>(i);
        if (byte >= kFirstNonAscii)
            table[i] = ByteClass::non_ascii;
        else if (is_plain_json_byte(static_cast<char>(byte)))
            table[i] = ByteClass::plain;
        else
            table[i] = ByteClass::escape;
    }
    return table;
}();

// Eight bytes at once: true when none needs escaping or a UTF-8 check. A byte with its high
// bit set fails through `word`; once no byte has it, no addition below carries into the next
// byte, so each sum's high bit says one thing about its own byte: w + 0x60 has it iff
// w >= 0x20, w + 0x01 iff w == 0x7F, (w ^ c) + 0x7F iff w != c.
constexpr std::uint64_t kEveryByte = 0x0101'0101'0101'0101U;
constexpr std::uint64_t kHighBits = kEveryByte * kFirstNonAscii;
constexpr bool all_plain(std::uint64_t word) noexcept {
    constexpr std::uint64_t kNotBelow = kEveryByte * (kFirstNonAscii - kFirstPrintable);
    constexpr std::uint64_t kNotEqual = kEveryByte * (kFirstNonAscii - 1);
    const std::uint64_t must_be_set =
        (word + kNotBelow) & ((word ^ (kEveryByte * '"')) + kNotEqual) & ((word ^ (kEveryByte * '\\')) + kNotEqual);
    const std::uint64_t must_be_clear = word | (word + kEveryByte);
    return ((~must_be_set | must_be_clear) & kHighBits) == 0;
}
// Every single byte value in every position of an otherwise plain word.
constexpr bool all_plain_agrees_with_the_byte_test() noexcept {
    constexpr std::uint64_t kPlainWord = 0x6162'6364'6566'6768U;  // "hgfedcba"
    constexpr std::size_t kByteBits = 8;
    for (unsigned value = 0; value < 256; ++value)
        for (std::size_t position = 0; position < sizeof(std::uint64_t); ++position) {
            const std::uint64_t shift = position * kByteBits;
            const std::uint64_t word = (kPlainWord & ~(std::uint64_t{0xFF} << shift)) | (std::uint64_t{value} << shift);
            if (all_plain(word) != is_plain_json_byte(static_cast<char>(value))) return false;
        }
    return true;
}
static_assert(all_plain_agrees_with_the_byte_test());

// Length of the valid UTF-8 sequence starting at text[at] (RFC 3629 section 4, so no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 when it is not valid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    const std::size_t left = text.size() - at;
    if (lead < kFirstNonAscii) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return left >= 2 && is_continuation(byte(1)) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (left < 3 || !is_continuation(byte(1)) || !is_continuation(byte(2))) return 0;
        if (lead == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
        if (lead == 0xED && byte(1) > 0x9F) return 0;  // UTF-16 surrogate
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (left < 4 || !is_continuation(byte(1)) || !is_continuation(byte(2)) || !is_continuation(byte(3))) return 0;
        if (lead == 0xF0 && byte(1) < 0x90) return 0;  // overlong
        if (lead == 0xF4 && byte(1) > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

// The escape of a quote, backslash, control character or DEL (RFC 8259 7), at most
// kEscapedBytesPerInputByte bytes, written at out; returns its end.
char* write_escape(char* out, unsigned char byte) noexcept {
    char short_form = 0;
    switch (byte) {
        case '"':
            short_form = '"';
            break;
        case '\\':
            short_form = '\\';
            break;
        case '\n':
            short_form = 'n';
            break;
        case '\r':
            short_form = 'r';
            break;
        case '\t':
            short_form = 't';
            break;
        case '\b':
            short_form = 'b';
            break;
        case '\f':
            short_form = 'f';
            break;
        default:
            break;
    }
    *out++ = '\\';
    if (short_form != 0) {
        *out++ = short_form;
        return out;
    }
    const std::array<char, 5> unicode{'u', '0', '0', kHexDigits[byte >> kNibbleBits], kHexDigits[byte & kNibbleMask]};
    std::memcpy(out, unicode.data(), unicode.size());
    return out + unicode.size();
}

// Escapes the character at text[at] (not a plain byte), advances `at` past it and returns the
// output's end: at most kEscapedBytesPerInputByte bytes per input byte consumed.
char* put_escaped_character(char* out, std::string_view text, std::size_t& at) noexcept {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < kFirstNonAscii) {
        ++at;
        return write_escape(out, byte);
    }
    const std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
        ++at;
        std::memcpy(out, kReplacementEscape.data(), kReplacementEscape.size());
        return out + kReplacementEscape.size();
    }
    std::memcpy(out, text.data() + at, length);
    at += length;
    return out + length;
}

// Escapes text[at..] to out (the output of text[at] goes to out[0]); returns the output's end.
char* escape_from(char* out, std::string_view text, std::size_t at) noexcept {
    constexpr std::size_t kWord = sizeof(std::uint64_t);
    const char* const in = text.data();
    while (at < text.size()) {
        if (text.size() - at >= kWord) {
            std::uint64_t word = 0;
            std::memcpy(&word, in + at, kWord);
            if (all_plain(word)) {
                std::memcpy(out, &word, kWord);
                out += kWord;
                at += kWord;
                continue;
            }
        }
        if (kByteClass[static_cast<unsigned char>(in[at])] == ByteClass::plain) {
            *out++ = in[at++];
            continue;
        }
        out = put_escaped_character(out, text, at);
    }
    return out;
}

}  // namespace

// Escapes all of `text` to out, which has room for the worst case (kEscapedBytesPerInputByte
// per input byte); returns the output's end. Nearly every string in a line is short and
// plain: it is checked and copied a word at a time, the last word overlapping the one
// before it, so a 4 to 8 byte name costs two loads, one check and two stores. At the first
// word that is not all plain the rest goes through escape_from.
char* unchecked::put_escaped(char* out, std::string_view text) noexcept {
    constexpr std::size_t kWord = sizeof(std::uint64_t);
    constexpr std::size_t kHalf = sizeof(std::uint32_t);
    const char* const in = text.data();
    const std::size_t size = text.size();
    if (size >= kWord) {
        std::uint64_t word = 0;
        std::size_t at = 0;
        for (; at + kWord < size; at += kWord) {
            std::memcpy(&word, in + at, kWord);
            if (!all_plain(word)) return escape_from(out + at, text, at);
            std::memcpy(out + at, &word, kWord);
        }
        // The last word ends at the text's end; it may repeat bytes already copied.
        std::memcpy(&word, in + size - kWord, kWord);
        if (!all_plain(word)) return escape_from(out + at, text, at);
        std::memcpy(out + size - kWord, &word, kWord);
        return out + size;
    }
    if (size >= kHalf) {
        std::uint32_t head = 0;
        std::uint32_t tail = 0;
        std::memcpy(&head, in, kHalf);
        std::memcpy(&tail, in + size - kHalf, kHalf);
        if (all_plain(std::uint64_t{head} | (std::uint64_t{tail} << (kHalf * 8)))) {
            std::memcpy(out, &head, kHalf);
            std::memcpy(out + size - kHalf, &tail, kHalf);
            return out + size;
        }
    }
    return escape_from(out, text, 0);
}

std::string_view detail::cut_utf8(std::string_view text, std::size_t max_bytes) noexcept {
    std::size_t end = max_bytes;
    // Back off over continuation bytes so the cut falls between characters.
    while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
    return text.substr(0, end);
}

}  // namespace icmpgate::log
