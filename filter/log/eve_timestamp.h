#pragma once
// Suricata EVE's timestamp format, printed in UTC: "2025-05-20T10:15:02.123456+0000"
// (CONVENTIONS 1.1: microseconds, numeric offset without a colon, which Filebeat's
// "Z0700" layout requires). The calendar is C++20's <chrono> (UTC, no time zone database):
// no libc time zone code, no lock, no I/O.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace icmpgate::log {

// "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000"
inline constexpr std::size_t kEveTimestampLength = 31;

// Writes the timestamp of `ns_since_epoch` (UTC; sub-microsecond digits are cut, not
// rounded, as Suricata does with tv_usec). Every int64 value (years 1677..2262) fits.
void format_eve_timestamp(std::int64_t ns_since_epoch, std::span<char, kEveTimestampLength> out) noexcept;

// The timestamps of a stream of nearby instants (one line per packet): the text up to the
// seconds is kept for the last second formatted, so an instant in the same second only
// writes its microseconds, and the calendar arithmetic runs once a second.
class EveTimestampCache {
public:
    // Bytes put() writes at `out`: the text and one byte past it, in one fixed-size copy.
    static constexpr std::size_t kPutBytes = kEveTimestampLength + 1;

    // The text of format_eve_timestamp(ns_since_epoch), valid until the next call.
    [[nodiscard]] std::string_view format(std::int64_t ns_since_epoch) noexcept;
    // The same text written at `out` (room: kPutBytes; the byte past the text is left for
    // the caller to overwrite); returns the text's end.
    char* put(char* out, std::int64_t ns_since_epoch) noexcept {
        static_cast<void>(format(ns_since_epoch));
        std::memcpy(out, text_.data(), kPutBytes);
        return out + kEveTimestampLength;
    }

private:
    std::array<char, kPutBytes> text_{};  // the text and one spare byte, for put()'s copy
    std::int64_t second_{0};
    bool valid_{false};
};

}  // namespace icmpgate::log
