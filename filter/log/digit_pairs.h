#pragma once
// Decimal digits two at a time from a 200-byte table: one load and one 2-byte store per pair
// instead of a division and a store per digit.

#include <array>
#include <cstdint>
#include <cstring>

namespace icmpgate::log {

// Two decimal digits for each value below 100.
inline constexpr auto kDigitPairs = [] {
    constexpr unsigned kTen = 10;
    std::array<char, 200> pairs{};
    for (unsigned value = 0; value < 100; ++value) {
        pairs[2 * value] = static_cast<char>('0' + value / kTen);
        pairs[2 * value + 1] = static_cast<char>('0' + value % kTen);
    }
    return pairs;
}();

// The two digits of `value` (below 100) at out; returns out + 2.
inline char* put_digit_pair(char* out, std::uint64_t value) noexcept {
    std::memcpy(out, &kDigitPairs[2 * value], 2);
    return out + 2;
}

}  // namespace icmpgate::log
