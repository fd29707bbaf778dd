#pragma once
// The Internet checksum (RFC 1071) written the plain way, for tests only: 16-bit words summed
// one by one. It shares no code with the product's InternetChecksum (filter/decode/checksum.h),
// so a fault there cannot hide in the packets the tests build and the values they expect.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "filter/decode/ip_address.h"

namespace icmpgate::test {

// The one's-complement sum of the bytes as big-endian 16-bit words, an odd final byte padded
// with a zero octet (RFC 1071 4.1), folded to 16 bits.
[[nodiscard]] std::uint16_t reference_folded_sum(std::span<const std::uint8_t> bytes);

// What a sender writes into a checksum field computed as zero: the complement of the sum.
[[nodiscard]] std::uint16_t reference_checksum(std::span<const std::uint8_t> bytes);

// The pseudo-header a transport or ICMPv6 checksum covers: IPv4 (RFC 793 3.1, RFC 768)
// source, destination, zero, protocol, length (16 bits); IPv6 (RFC 8200 8.1) source,
// destination, upper-layer length (32 bits), three zero octets, next header.
[[nodiscard]] std::vector<std::uint8_t> pseudo_header(const decode::IpAddress& src, const decode::IpAddress& dst,
                                                      std::uint8_t protocol, std::size_t upper_layer_length);

}  // namespace icmpgate::test
