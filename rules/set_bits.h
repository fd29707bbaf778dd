#pragma once
// Visiting the set bits of a 256-bit set (ICMP types, codes, protocols) a 64-bit word at a
// time: a loop over all 256 positions costs 256 tests where most sets hold a handful of
// bits, and under the fuzzers' comparison tracing each of those tests is a callback.

#include <bit>
#include <bitset>
#include <cstddef>
#include <cstdint>

namespace icmpgate::rules {

// Calls fn(position) for every set bit of `bits`, in ascending order.
template <std::size_t N, typename Fn>
void for_each_set_bit(const std::bitset<N>& bits, Fn&& fn) {
    constexpr std::size_t kWordBits = 64;
    static_assert(N % kWordBits == 0, "whole 64-bit words only");
    const std::bitset<N> low_word{~std::uint64_t{0}};
    for (std::size_t base = 0; base < N; base += kWordBits) {
        std::uint64_t word = ((bits >> base) & low_word).to_ullong();
        while (word != 0) {
            fn(base + static_cast<std::size_t>(std::countr_zero(word)));
            word &= word - 1;  // clear the lowest set bit
        }
    }
}

}  // namespace icmpgate::rules
