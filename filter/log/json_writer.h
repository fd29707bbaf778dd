#pragma once
// A JSON writer over a caller-owned fixed buffer: no allocation, no exceptions. Every
// append is bounds-checked; once the buffer is full the writer stops and reports
// overflowed() (the record types are sized so that this cannot happen; see json_line.h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace icmpgate::log {

// Output bytes one input byte can become: a control character is "\u00XX", a byte that is
// not part of valid UTF-8 becomes "\ufffd".
inline constexpr std::size_t kEscapedBytesPerInputByte = 6;

// The longest prefix of `text` that is at most `max_bytes` long and does not end inside a
// UTF-8 sequence (so a clamped name still escapes to valid text).
[[nodiscard]] std::string_view clamp_utf8(std::string_view text, std::size_t max_bytes) noexcept;

class JsonWriter {
public:
    explicit JsonWriter(std::span<char> buffer) noexcept : buffer_{buffer} {}

    void begin_object() noexcept;
    void end_object() noexcept;
    void begin_array() noexcept;
    void end_array() noexcept;
    // A member name; the next value call writes its value.
    void key(std::string_view name) noexcept;

    // A string value, escaped (RFC 8259 section 7). Two parts are written as one string.
    void string_value(std::string_view text) noexcept { string_value(text, {}); }
    void string_value(std::string_view first, std::string_view second) noexcept;
    void unsigned_value(std::uint64_t value) noexcept;
    void signed_value(std::int64_t value) noexcept;
    void bool_value(bool value) noexcept;
    void null_value() noexcept;
    // Text that is already valid JSON (e.g. a formatted timestamp inside quotes).
    void raw_string_value(std::string_view already_escaped) noexcept;

    // Appends bytes outside any JSON structure (the line's final newline).
    void append_raw(std::string_view text) noexcept { append(text); }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool overflowed() const noexcept { return overflowed_; }
    [[nodiscard]] std::string_view view() const noexcept { return {buffer_.data(), size_}; }

private:
    void separate() noexcept;
    void append(std::string_view text) noexcept;
    void append(char c) noexcept;
    void append_escaped(std::string_view text) noexcept;

    std::span<char> buffer_;
    std::size_t size_{0};
    bool needs_comma_{false};
    bool overflowed_{false};
};

}  // namespace icmpgate::log
