#include "filter/log/json_writer.h"

#include <array>
#include <charconv>
#include <cstring>
#include <limits>

namespace icmpgate::log {
namespace {

// A separating comma and two quotes around a string.
constexpr std::size_t kStringPunctuation = 3;

// The room an escaped text of `length` bytes may need with its quotes and comma; saturates
// instead of wrapping so an absurd length takes the checked path.
constexpr std::size_t escaped_string_room(std::size_t length) noexcept {
    constexpr std::size_t kMaxLength =
        (std::numeric_limits<std::size_t>::max() - kStringPunctuation) / kEscapedBytesPerInputByte;
    return length > kMaxLength ? std::numeric_limits<std::size_t>::max()
                               : length * kEscapedBytesPerInputByte + kStringPunctuation;
}

}  // namespace

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

void JsonWriter::escaped_key(std::string_view name) noexcept {
    if (char* out = room_for(escaped_string_room(name.size()) + 1)) {
        if (needs_comma_) *out++ = ',';
        *out++ = '"';
        out = put_escaped(out, name);
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
        std::array<char, kEscapedBytesPerInputByte> escaped{};
        const char* const end = detail::put_escaped_character(escaped.data(), text, at);
        append(std::string_view{escaped.data(), static_cast<std::size_t>(end - escaped.data())});
    }
}

void JsonWriter::string_value(std::string_view first, std::string_view second) noexcept {
    if (char* out = room_for(escaped_string_room(first.size() + second.size()))) {
        if (needs_comma_) *out++ = ',';
        commit(put_escaped_string(out, first, second));
        needs_comma_ = true;
        return;
    }
    checked_string_value(first, second);
}

void JsonWriter::plain_string_value(std::string_view first, std::string_view second) noexcept {
    if (char* out = room_for(first.size() + second.size() + kStringPunctuation)) {
        if (needs_comma_) *out++ = ',';
        commit(put_plain_string(out, first, second));
        needs_comma_ = true;
        return;
    }
    checked_string_value(first, second);  // escapes nothing in plain text: the same bytes
}

void JsonWriter::checked_string_value(std::string_view first, std::string_view second) noexcept {
    separate();
    append('"');
    append_escaped(first);
    append_escaped(second);
    append('"');
}

void JsonWriter::checked_raw_string_value(std::string_view already_escaped) noexcept {
    separate();
    append('"');
    append(already_escaped);
    append('"');
}

void JsonWriter::unsigned_value(std::uint64_t value) noexcept {
    if (char* out = room_for(1 + kIntegerTextMax)) {
        if (needs_comma_) *out++ = ',';
        commit(put_unsigned(out, value));
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
