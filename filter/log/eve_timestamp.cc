#include "filter/log/eve_timestamp.h"

#include "filter/log/digit_pairs.h"

namespace icmpgate::log {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kNsPerMicrosecond = 1'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kSecondsPerHour = 3'600;
constexpr std::int64_t kSecondsPerMinute = 60;

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

CivilDate civil_from_days(std::int64_t days) noexcept {
    // The Gregorian calendar repeats every 400 years (146097 days). Counting years from
    // 1 March puts the leap day last, so month lengths within a year follow a fixed
    // pattern (153 days per 5 months from March).
    constexpr std::int64_t kDaysPer400Years = 146'097;
    constexpr std::int64_t kDaysFromYear0MarchTo1970 = 719'468;
    constexpr std::int64_t kDaysPer4Years = 1'460;
    constexpr std::int64_t kDaysPer100Years = 36'524;
    constexpr std::int64_t kDaysPerYear = 365;
    constexpr std::int64_t kDaysPer5Months = 153;
    constexpr std::int64_t kMonthsMarchToDecember = 10;
    constexpr std::int64_t kMonthsPerYear = 12;
    constexpr std::int64_t kMarch = 3;

    const std::int64_t shifted = days + kDaysFromYear0MarchTo1970;
    const std::int64_t era = floor_div(shifted, kDaysPer400Years);
    const std::int64_t day_of_era = shifted - era * kDaysPer400Years;  // 0..146096
    const std::int64_t year_of_era = (day_of_era - day_of_era / kDaysPer4Years + day_of_era / kDaysPer100Years -
                                      day_of_era / (kDaysPer400Years - 1)) /
                                     kDaysPerYear;  // 0..399
    const std::int64_t day_of_year =
        day_of_era - (kDaysPerYear * year_of_era + year_of_era / 4 - year_of_era / 100);  // 0..365, from 1 March
    const std::int64_t month_index = (5 * day_of_year + 2) / kDaysPer5Months;             // 0 = March
    const std::int64_t day = day_of_year - (kDaysPer5Months * month_index + 2) / 5 + 1;
    const std::int64_t month =
        month_index < kMonthsMarchToDecember ? month_index + kMarch : month_index + kMarch - kMonthsPerYear;
    CivilDate date;
    date.year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    date.month = static_cast<unsigned>(month);
    date.day = static_cast<unsigned>(day);
    return date;
}

void format_eve_timestamp(std::int64_t ns_since_epoch, std::span<char, kEveTimestampLength> out) noexcept {
    const std::int64_t seconds = floor_div(ns_since_epoch, kNsPerSecond);
    const std::int64_t micros = floor_mod(ns_since_epoch, kNsPerSecond) / kNsPerMicrosecond;
    const std::int64_t days = floor_div(seconds, kSecondsPerDay);
    const std::int64_t second_of_day = floor_mod(seconds, kSecondsPerDay);
    const CivilDate date = civil_from_days(days);

    // Layout: YYYY-MM-DDTHH:MM:SS.uuuuuu+0000
    //         0    5  8  11 14 17 20     27
    put_digits(out, 0, 4, static_cast<std::uint64_t>(date.year));
    out[4] = '-';
    put_digits(out, 5, 2, date.month);
    out[7] = '-';
    put_digits(out, 8, 2, date.day);
    out[10] = 'T';
    put_digits(out, 11, 2, static_cast<std::uint64_t>(second_of_day / kSecondsPerHour));
    out[13] = ':';
    put_digits(out, 14, 2, static_cast<std::uint64_t>(second_of_day % kSecondsPerHour / kSecondsPerMinute));
    out[16] = ':';
    put_digits(out, 17, 2, static_cast<std::uint64_t>(second_of_day % kSecondsPerMinute));
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
