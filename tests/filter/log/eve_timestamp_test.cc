#include "filter/log/eve_timestamp.h"

#include <array>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace {

using icmpgate::log::EveTimestampCache;
using icmpgate::log::format_eve_timestamp;
using icmpgate::log::kEveTimestampLength;

constexpr std::int64_t kNs = 1'000'000'000;

std::string eve(std::int64_t ns) {
    std::array<char, kEveTimestampLength> text{};
    format_eve_timestamp(ns, text);
    return {text.data(), text.size()};
}

struct TimestampCase {
    std::int64_t ns;
    const char* text;
};
std::ostream& operator<<(std::ostream& os, const TimestampCase& c) {
    return os << c.ns << " -> " << c.text;
}

// Expected texts computed independently with Python's datetime (UTC).
const std::array<TimestampCase, 10> kCases{{
    {0, "1970-01-01T00:00:00.000000+0000"},
    {1'747'736'102 * kNs + 123'456'789, "2025-05-20T10:15:02.123456+0000"},
    {1'709'251'199 * kNs, "2024-02-29T23:59:59.000000+0000"},
    {951'825'600 * kNs, "2000-02-29T12:00:00.000000+0000"},
    {4'107'542'400 * kNs, "2100-03-01T00:00:00.000000+0000"},
    {2'147'483'648 * kNs, "2038-01-19T03:14:08.000000+0000"},
    {-1, "1969-12-31T23:59:59.999999+0000"},
    {-1 * kNs, "1969-12-31T23:59:59.000000+0000"},
    {std::numeric_limits<std::int64_t>::max(), "2262-04-11T23:47:16.854775+0000"},
    {std::numeric_limits<std::int64_t>::min(), "1677-09-21T00:12:43.145224+0000"},
}};

}  // namespace

BOOST_AUTO_TEST_SUITE(eve_timestamp)

BOOST_DATA_TEST_CASE(formats_utc_with_microseconds_and_offset_without_colon, boost::unit_test::data::make(kCases), c) {
    BOOST_TEST(eve(c.ns) == c.text);
}

BOOST_AUTO_TEST_CASE(cuts_sub_microsecond_digits_instead_of_rounding) {
    BOOST_TEST(eve(999) == "1970-01-01T00:00:00.000000+0000");
    BOOST_TEST(eve(1'999) == "1970-01-01T00:00:00.000001+0000");
    BOOST_TEST(eve(999'999'999) == "1970-01-01T00:00:00.999999+0000");
}

// The cache keeps the text up to the seconds: every instant, whether in the cached second,
// the next one, an earlier one or before 1970, must still read as format_eve_timestamp.
BOOST_AUTO_TEST_CASE(cached_timestamps_match_the_uncached_text) {
    const std::int64_t may20 = 1'747'736'102 * kNs;
    const std::int64_t instants[] = {
        may20 + 123'456'789,
        may20 + 123'457'000,
        may20 + 999'999'999,
        may20 + kNs,
        may20 + kNs + 1,
        may20,
        may20 - 1,
        86'400 * kNs - 1,
        86'400 * kNs,
        -1,
        -kNs,
        -kNs - 1,
        0,
        0,
        std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::min() + 1'000,
    };
    EveTimestampCache cache;
    for (const std::int64_t ns : instants) BOOST_TEST(std::string{cache.format(ns)} == eve(ns));
    // One packet every 20 us across a few seconds, as the benchmark and a flood do.
    for (std::int64_t ns = may20 - 3 * kNs; ns < may20 + 3 * kNs; ns += 20'000 + 7)
        if (std::string{cache.format(ns)} != eve(ns)) BOOST_TEST(std::string{cache.format(ns)} == eve(ns));
}

BOOST_AUTO_TEST_SUITE_END()
