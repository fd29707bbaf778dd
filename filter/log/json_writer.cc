#include "filter/log/json_writer.h"

#include <cstring>

#include <array>
#include <charconv>

namespace icmpgate::log {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7F;
constexpr unsigned char kFirstNonAscii = 0x80;
constexpr unsigned char kContinuationMask = 0xC0;
constexpr unsigned char kContinuationBits = 0x80;
constexpr std::string_view kReplacementEscape = "\\ufffd";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kNibbleBits = 4;
constexpr unsigned kNibbleMask = 0xF;
// Long enough for any 64-bit integer in decimal, with its sign.
constexpr std::size_t kIntegerTextMax = 24;

constexpr bool is_continuation(unsigned char byte) noexcept {
    return (byte & kContinuationMask) == kContinuationBits;
}

// Printable ASCII other than the two characters JSON escapes in strings (RFC 8259 7).
constexpr bool is_plain_ascii(unsigned char byte) noexcept {
    return byte >= kFirstPrintable && byte < kDelete && byte != '"' && byte != '\\';
}

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

void JsonWriter::append(char c) noexcept { append(std::string_view{&c, 1}); }

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

void JsonWriter::key(std::string_view name) noexcept {
    separate();
    append('"');
    append_escaped(name);
    append("\":");
    needs_comma_ = false;
}

void JsonWriter::append_escaped(std::string_view text) noexcept {
    std::size_t at = 0;
    while (at < text.size()) {
        // A run of printable ASCII that needs no escape is copied with one append: nearly
        // every string in a record is one such run (docs/performance.md, before/after).
        std::size_t plain_end = at;
        while (plain_end < text.size() && is_plain_ascii(static_cast<unsigned char>(text[plain_end]))) ++plain_end;
        if (plain_end > at) {
            append(text.substr(at, plain_end - at));
            at = plain_end;
            continue;
        }
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte == '"' || byte == '\\') {
            const std::array<char, 2> escaped{'\\', static_cast<char>(byte)};
            append(std::string_view{escaped.data(), escaped.size()});
            ++at;
            continue;
        }
        if (byte < kFirstPrintable || byte == kDelete) {
            switch (byte) {
                case '\n': append("\\n"); break;
                case '\r': append("\\r"); break;
                case '\t': append("\\t"); break;
                case '\b': append("\\b"); break;
                case '\f': append("\\f"); break;
                default: {
                    const std::array<char, 6> escaped{'\\', 'u', '0', '0', kHexDigits[byte >> kNibbleBits],
                                                      kHexDigits[byte & kNibbleMask]};
                    append(std::string_view{escaped.data(), escaped.size()});
                }
            }
            ++at;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0) {
            append(kReplacementEscape);
            ++at;
            continue;
        }
        append(text.substr(at, length));
        at += length;
    }
}

void JsonWriter::string_value(std::string_view first, std::string_view second) noexcept {
    separate();
    append('"');
    append_escaped(first);
    append_escaped(second);
    append('"');
}

void JsonWriter::raw_string_value(std::string_view already_escaped) noexcept {
    separate();
    append('"');
    append(already_escaped);
    append('"');
}

void JsonWriter::unsigned_value(std::uint64_t value) noexcept {
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
