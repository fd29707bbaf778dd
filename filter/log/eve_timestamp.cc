#include "filter/log/eve_timestamp.h"

#include <chrono>

#include "filter/log/digit_pairs.h"

namespace icmpgate::log {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kNsPerMicrosecond = 1'000;

// Floor division and its non-negative remainder, so instants before 1970 format correctly.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t r = a % b;  // no multiplication: floor_div(a, b) * b can overflow near INT64_MIN
    return r < 0 ? r + b : r;
}

// Writes `value` as exactly `width` decimal digits at out[at..].
void put_digits(std::span<char, kEveTimestampLength> out, std::size_t at, std::size_t width,
                std::uint64_t value) noexcept {
    constexpr std::uint64_t kBase = 10;
    for (std::size_t i = width; i > 0; --i) {
        out[at + i - 1] = static_cast<char>('0' + static_cast<int>(value % kBase));
        value /= kBase;
    }
}

}  // namespace

void format_eve_timestamp(std::int64_t ns_since_epoch, std::span<char, kEveTimestampLength> out) noexcept {
    // The proleptic Gregorian calendar of C++20's <chrono>, in whole seconds (every int64 count
    // of nanoseconds is in years 1677..2262; the day's start in nanoseconds would overflow
    // near INT64_MIN). The microseconds come from the floored remainder, so instants before
    // 1970 count forwards from their second.
    using namespace std::chrono;  // NOLINT(google-build-using-namespace): the calendar's types
    const sys_seconds instant{seconds{floor_div(ns_since_epoch, kNsPerSecond)}};
    const sys_days day = floor<days>(instant);
    const year_month_day date{day};
    const hh_mm_ss<seconds> time{instant - day};
    const std::int64_t micros = floor_mod(ns_since_epoch, kNsPerSecond) / kNsPerMicrosecond;

    // Layout: YYYY-MM-DDTHH:MM:SS.uuuuuu+0000
    //         0    5  8  11 14 17 20     27
    put_digits(out, 0, 4, static_cast<std::uint64_t>(static_cast<int>(date.year())));
    out[4] = '-';
    put_digits(out, 5, 2, static_cast<unsigned>(date.month()));
    out[7] = '-';
    put_digits(out, 8, 2, static_cast<unsigned>(date.day()));
    out[10] = 'T';
    put_digits(out, 11, 2, static_cast<std::uint64_t>(time.hours().count()));
    out[13] = ':';
    put_digits(out, 14, 2, static_cast<std::uint64_t>(time.minutes().count()));
    out[16] = ':';
    put_digits(out, 17, 2, static_cast<std::uint64_t>(time.seconds().count()));
    out[19] = '.';
    put_digits(out, 20, 6, static_cast<std::uint64_t>(micros));
    out[26] = '+';
    put_digits(out, 27, 4, 0);
}

std::string_view EveTimestampCache::format(std::int64_t ns_since_epoch) noexcept {
    constexpr std::size_t kMicrosecondsAt = 20;
    constexpr std::uint64_t kHundred = 100;
    constexpr std::uint64_t kTenThousand = 10'000;
    const std::int64_t second = floor_div(ns_since_epoch, kNsPerSecond);
    if (!valid_ || second != second_) {
        format_eve_timestamp(ns_since_epoch, std::span<char, kEveTimestampLength>{text_.data(), kEveTimestampLength});
        second_ = second;
        valid_ = true;
    } else {
        // The same second: only the six microsecond digits change, written as three pairs.
        const auto micros = static_cast<std::uint64_t>(floor_mod(ns_since_epoch, kNsPerSecond) / kNsPerMicrosecond);
        char* const digits = text_.data() + kMicrosecondsAt;
        put_digit_pair(digits, micros / kTenThousand);
        put_digit_pair(digits + 2, micros / kHundred % kHundred);
        put_digit_pair(digits + 4, micros % kHundred);
    }
    return {text_.data(), kEveTimestampLength};
}

}  // namespace icmpgate::log
