#pragma once
// An address as a 128-bit unsigned number in two 64-bit words, whose order is the order of
// its bytes (bytes 0-7 big-endian in `high`, 8-15 in `low`; IPv4 fills the top 32 bits of
// `high`). The rate limiter keys and hashes its buckets with it, the candidate index orders
// prefixes by it. Assembled from big-endian loads, so the value (and so a limiter's hash and
// eviction order) is the same on every machine.

#include <compare>
#include <cstdint>

#include "filter/decode/byte_reader.h"
#include "filter/decode/ip_address.h"

namespace icmpgate::rules {

struct AddressKey {
    std::uint64_t high{0};
    std::uint64_t low{0};

    friend constexpr auto operator<=>(const AddressKey&, const AddressKey&) noexcept = default;
};

[[nodiscard]] constexpr AddressKey address_key(const decode::IpAddress& address) noexcept {
    constexpr unsigned kWordBits = 32;
    const decode::FixedBytes<sizeof(address.bytes)> b{address.bytes};
    return {(std::uint64_t{decode::be32<0>(b)} << kWordBits) | decode::be32<4>(b),
            (std::uint64_t{decode::be32<8>(b)} << kWordBits) | decode::be32<12>(b)};
}

}  // namespace icmpgate::rules
