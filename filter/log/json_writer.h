#pragma once
// A JSON writer over a caller-owned fixed buffer: no allocation, no exceptions. Every
// append is bounds-checked; once the buffer is full the writer stops and reports
// overflowed() (the record types are sized so that this cannot happen; see json_line.h).
//
// Speed (docs/performance.md, "Round 4: verdict-line formatting"): each call checks the room for its worst case
// once and then writes through the unchecked functions of json_text.h; keys fixed at compile
// time (JsonKey) are copied with their punctuation and no escape scan; strings are scanned 8
// bytes at a time. Only near the end of the buffer does a call fall back to byte-by-byte
// checked appends.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include "filter/log/json_text.h"

namespace icmpgate::log {

class JsonWriter {
public:
    explicit JsonWriter(std::span<char> buffer) noexcept : buffer_{buffer} {}

    void begin_object() noexcept;
    void end_object() noexcept;
    void begin_array() noexcept;
    void end_array() noexcept;
    // A member name fixed at compile time (a string literal converts): written without an
    // escape scan. The next value call writes its value.
    void key(const JsonKey& name) noexcept {
        const std::size_t skip = needs_comma_ ? 0 : 1;  // the stored text starts with the comma
        needs_comma_ = false;
        if (char* out = room_for(JsonKey::kCopyBytes)) {
            // A fixed-size copy (the bytes past the key are overwritten by what follows).
            std::memcpy(out, name.text.data() + skip, JsonKey::kCopyBytes);
            commit(out + name.size - skip);
            return;
        }
        append(name.view().substr(skip));
    }
    // The same for a key given as a template argument (key<"name">()): the key is a constant
    // object, not a temporary built on the stack at each call.
    template <JsonKey Name>
    void key() noexcept {
        key(Name);
    }
    // A member name known only at run time, escaped like a string value. A template only so
    // that a string literal (an array) picks the JsonKey overload instead of being ambiguous.
    template <typename Text>
    requires(std::convertible_to<const Text&, std::string_view> &&
             !std::is_array_v<Text>) void key(const Text& name) noexcept {
        escaped_key(name);
    }

    // A string value, escaped (RFC 8259 section 7). Two parts are written as one string.
    void string_value(std::string_view text) noexcept { string_value(text, {}); }
    void string_value(std::string_view first, std::string_view second) noexcept;
    // A string value from the program's own name tables (ICMP catalogue, anomaly and reason
    // names, EVE's words), copied without an escape scan. Only for text that a static_assert
    // where it is used or defined has checked needs no escaping (json_line.cc); any other
    // text goes through string_value.
    void plain_string_value(std::string_view first, std::string_view second = {}) noexcept;
    void unsigned_value(std::uint64_t value) noexcept;
    void signed_value(std::int64_t value) noexcept;
    void bool_value(bool value) noexcept;
    void null_value() noexcept;
    // Text that is already valid JSON (e.g. a formatted timestamp inside quotes).
    void raw_string_value(std::string_view already_escaped) noexcept {
        if (char* out = room_for(already_escaped.size() + 3)) {
            if (needs_comma_) *out++ = ',';
            *out++ = '"';
            std::memcpy(out, already_escaped.data(), already_escaped.size());
            out += already_escaped.size();
            *out++ = '"';
            commit(out);
            needs_comma_ = true;
            return;
        }
        checked_raw_string_value(already_escaped);
    }
    // A string value written in place by `write(char* out) -> char* end`, which may use up to
    // MaxBytes bytes at out and writes text that needs no escaping (an address, say).
    template <std::size_t MaxBytes, typename Write>
    void formatted_string_value(const Write& write) noexcept {
        if (char* out = room_for(MaxBytes + 3)) {
            if (needs_comma_) *out++ = ',';
            *out++ = '"';
            out = write(out);
            *out++ = '"';
            commit(out);
            needs_comma_ = true;
            return;
        }
        std::array<char, MaxBytes> text{};
        const char* const end = write(text.data());
        checked_raw_string_value({text.data(), static_cast<std::size_t>(end - text.data())});
    }

    // Appends bytes outside any JSON structure (the line's final newline).
    void append_raw(std::string_view text) noexcept { append(text); }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool overflowed() const noexcept { return overflowed_; }
    [[nodiscard]] std::string_view view() const noexcept { return {buffer_.data(), size_}; }

private:
    // Where an unchecked write of at most `bytes` bytes may start, or nullptr when the buffer
    // has less room (or has overflowed): the caller then takes the checked path.
    [[nodiscard]] char* room_for(std::size_t bytes) noexcept {
        return !overflowed_ && bytes <= buffer_.size() - size_ ? buffer_.data() + size_ : nullptr;
    }
    void commit(const char* end) noexcept { size_ = static_cast<std::size_t>(end - buffer_.data()); }

    void separate() noexcept;
    void append(std::string_view text) noexcept;
    void append(char c) noexcept;
    void append_escaped(std::string_view text) noexcept;
    void escaped_key(std::string_view name) noexcept;
    void checked_raw_string_value(std::string_view already_escaped) noexcept;
    void checked_string_value(std::string_view first, std::string_view second) noexcept;

    std::span<char> buffer_;
    std::size_t size_{0};
    bool needs_comma_{false};
    bool overflowed_{false};
};

}  // namespace icmpgate::log
