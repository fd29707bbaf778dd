#include "filter/log/json_writer.h"

#include <array>
#include <charconv>
#include <cstring>
#include <limits>

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
// Long enough for any 64-bit integer in decimal, with its sign.
constexpr std::size_t kIntegerTextMax = 24;
// The longest escape of one byte ("\u00XX", "\ufffd").
constexpr std::size_t kEscapeMax = 6;
// A separating comma and two quotes around a string.
constexpr std::size_t kStringPunctuation = 3;

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

// Eight bytes at once: true when none needs escaping or a UTF-8 check. Each test below is
// exact for the word as a whole: a borrow or carry can only start at a byte that matches.
constexpr std::uint64_t kEveryByte = 0x0101'0101'0101'0101U;
constexpr std::uint64_t kHighBits = 0x8080'8080'8080'8080U;
constexpr bool has_zero_byte(std::uint64_t word) noexcept { return ((word - kEveryByte) & ~word & kHighBits) != 0; }
constexpr bool all_plain(std::uint64_t word) noexcept {
    const bool control = ((word - kEveryByte * kFirstPrintable) & ~word & kHighBits) != 0;  // a byte < 0x20
    const bool delete_or_high = (((word + kEveryByte) | word) & kHighBits) != 0;           // a byte >= 0x7F
    const bool quote = has_zero_byte(word ^ (kEveryByte * '"'));
    const bool backslash = has_zero_byte(word ^ (kEveryByte * '\\'));
    return !(control || delete_or_high || quote || backslash);
}
static_assert(all_plain(0x6162'6364'6566'6768U) && !all_plain(0x6162'2264'6566'6768U) &&
              !all_plain(0x6162'6364'5C66'6768U) && !all_plain(0x1F62'6364'6566'6768U) &&
              !all_plain(0x6162'6364'6566'677FU) && !all_plain(0x6162'6364'6566'67C3U));

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
        if (left < 4 || !is_continuation(byte(1)) || !is_continuation(byte(2)) || !is_continuation(byte(3)))
            return 0;
        if (lead == 0xF0 && byte(1) < 0x90) return 0;  // overlong
        if (lead == 0xF4 && byte(1) > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

// The escape of a quote, backslash, control character or DEL (RFC 8259 7), at most
// kEscapeMax bytes, written at out; returns its end.
char* write_escape(char* out, unsigned char byte) noexcept {
    char short_form = 0;
    switch (byte) {
        case '"': short_form = '"'; break;
        case '\\': short_form = '\\'; break;
        case '\n': short_form = 'n'; break;
        case '\r': short_form = 'r'; break;
        case '\t': short_form = 't'; break;
        case '\b': short_form = 'b'; break;
        case '\f': short_form = 'f'; break;
        default: break;
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

// Escapes the character at text[at] (not a plain byte) to out, advances `at` past it and
// returns the output's end. At most kEscapeMax output bytes per input byte consumed.
char* escape_character(char* out, std::string_view text, std::size_t& at) noexcept {
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

// Escapes all of `text` to out, which has room for the worst case (kEscapedBytesPerInputByte
// per input byte); returns the output's end. Runs of plain text are copied 8 bytes a step.
char* escape_into(char* out, std::string_view text) noexcept {
    constexpr std::size_t kWord = sizeof(std::uint64_t);
    const char* const in = text.data();
    const std::size_t size = text.size();
    std::size_t at = 0;
    while (at < size) {
        if (size - at >= kWord) {
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
        out = escape_character(out, text, at);
    }
    return out;
}

// The room an escaped text of `length` bytes may need with its quotes and comma; saturates
// instead of wrapping so an absurd length takes the checked path.
constexpr std::size_t escaped_string_room(std::size_t length) noexcept {
    constexpr std::size_t kMaxLength = (std::numeric_limits<std::size_t>::max() - kStringPunctuation) /
                                       kEscapedBytesPerInputByte;
    return length > kMaxLength ? std::numeric_limits<std::size_t>::max()
                               : length * kEscapedBytesPerInputByte + kStringPunctuation;
}

}  // namespace

std::string_view clamp_utf8(std::string_view text, std::size_t max_bytes) noexcept {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    // Back off over continuation bytes so the cut falls between characters.
    while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
    return text.substr(0, end);
}

void JsonWriter::append(std::string_view text) noexcept {
    if (overflowed_) return;
    if (text.size() > buffer_.size() - size_) {
        overflowed_ = true;
        return;
    }
    if (text.empty()) return;
    std::memcpy(buffer_.data() + size_, text.data(), text.size());
    size_ += text.size();
}

void JsonWriter::append(char c) noexcept {
    if (overflowed_) return;
    if (size_ == buffer_.size()) {
        overflowed_ = true;
        return;
    }
    buffer_[size_++] = c;
}

void JsonWriter::separate() noexcept {
    if (needs_comma_) append(',');
    needs_comma_ = true;
}

void JsonWriter::begin_object() noexcept {
    separate();
    append('{');
    needs_comma_ = false;
}

void JsonWriter::end_object() noexcept {
    append('}');
    needs_comma_ = true;
}

void JsonWriter::begin_array() noexcept {
    separate();
    append('[');
    needs_comma_ = false;
}

void JsonWriter::end_array() noexcept {
    append(']');
    needs_comma_ = true;
}

void JsonWriter::key(const JsonKey& name) noexcept {
    const std::size_t skip = needs_comma_ ? 0 : 1;  // the stored text starts with the comma
    needs_comma_ = false;
    if (char* out = room_for(JsonKey::kCopyBytes)) {
        // A fixed-size copy (the bytes past the key are overwritten by what follows).
        std::memcpy(out, name.storage() + skip, JsonKey::kCopyBytes);
        commit(out + name.text().size() - skip);
        return;
    }
    append(name.text().substr(skip));
}

void JsonWriter::escaped_key(std::string_view name) noexcept {
    if (char* out = room_for(escaped_string_room(name.size()) + 1)) {
        if (needs_comma_) *out++ = ',';
        *out++ = '"';
        out = escape_into(out, name);
        *out++ = '"';
        *out++ = ':';
        commit(out);
    } else {
        separate();
        append('"');
        append_escaped(name);
        append("\":");
    }
    needs_comma_ = false;
}

// The checked path, used only near the end of the buffer: one character at a time, each
// appended with its own bounds check.
void JsonWriter::append_escaped(std::string_view text) noexcept {
    std::size_t at = 0;
    while (at < text.size() && !overflowed_) {
        if (is_plain_json_byte(text[at])) {
            append(text[at++]);
            continue;
        }
        std::array<char, kEscapeMax> escaped{};
        const char* const end = escape_character(escaped.data(), text, at);
        append(std::string_view{escaped.data(), static_cast<std::size_t>(end - escaped.data())});
    }
}

void JsonWriter::string_value(std::string_view first, std::string_view second) noexcept {
    if (char* out = room_for(escaped_string_room(first.size() + second.size()))) {
        if (needs_comma_) *out++ = ',';
        *out++ = '"';
        out = escape_into(out, first);
        out = escape_into(out, second);
        *out++ = '"';
        commit(out);
        needs_comma_ = true;
        return;
    }
    checked_string_value(first, second);
}

void JsonWriter::checked_string_value(std::string_view first, std::string_view second) noexcept {
    separate();
    append('"');
    append_escaped(first);
    append_escaped(second);
    append('"');
}

void JsonWriter::raw_string_value(std::string_view already_escaped) noexcept {
    if (char* out = room_for(already_escaped.size() + kStringPunctuation)) {
        if (needs_comma_) *out++ = ',';
        *out++ = '"';
        std::memcpy(out, already_escaped.data(), already_escaped.size());
        out += already_escaped.size();
        *out++ = '"';
        commit(out);
        needs_comma_ = true;
        return;
    }
    separate();
    append('"');
    append(already_escaped);
    append('"');
}

void JsonWriter::unsigned_value(std::uint64_t value) noexcept {
    if (char* out = room_for(1 + kIntegerTextMax)) {
        if (needs_comma_) *out++ = ',';
        commit(std::to_chars(out, out + kIntegerTextMax, value).ptr);
        needs_comma_ = true;
        return;
    }
    separate();
    std::array<char, kIntegerTextMax> text{};
    const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
    append(std::string_view{text.data(), static_cast<std::size_t>(result.ptr - text.data())});
}

void JsonWriter::signed_value(std::int64_t value) noexcept {
    separate();
    std::array<char, kIntegerTextMax> text{};
    const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
    append(std::string_view{text.data(), static_cast<std::size_t>(result.ptr - text.data())});
}

void JsonWriter::bool_value(bool value) noexcept {
    separate();
    append(value ? "true" : "false");
}

void JsonWriter::null_value() noexcept {
    separate();
    append("null");
}

}  // namespace icmpgate::log
