#pragma once
// The 8-byte ICMP / ICMPv6 header and its type-specific fields (RFC 792, RFC 4443, RFC 1191,
// RFC 4884, RFC 4861, RFC 8335).

#include <cstddef>
#include <cstdint>

#include "filter/decode/byte_reader.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/family.h"

namespace icmpgate::decode {

inline constexpr std::size_t kIcmpHeader = 8;
// RFC 4884 5.4 / 5.5: an original datagram field that announces a length is at least 128 bytes.
inline constexpr std::size_t kRfc4884MinOriginalDatagram = 128;

// Types whose second word is an identifier and a sequence number: echo, timestamp,
// information, address mask, extended echo (RFC 792, RFC 950, RFC 4443, RFC 8335).
[[nodiscard]] bool has_echo_fields(Family family, std::uint8_t type) noexcept;

// Types that define the RFC 4884 length attribute: v4 3, 11, 12; v6 1, 3.
[[nodiscard]] bool defines_rfc4884_length(Family family, std::uint8_t type) noexcept;

// Reads the echo identifier and sequence from an 8-byte header of a type with echo fields.
// Extended echo (RFC 8335 2.1, 3.1) has an 8-bit sequence number in octet 6.
[[nodiscard]] Echo read_echo(Family family, FixedBytes<kIcmpHeader> header) noexcept;

// Fills icmp_type, icmp_code, icmp_checksum and the type-specific fields of packet from the
// header. after_header are the message bytes present after it (read only by a v6 Redirect,
// whose target address follows the header).
void read_icmp_header(Family family, FixedBytes<kIcmpHeader> header, Bytes after_header,
                      DecodedPacket& packet) noexcept;

}  // namespace icmpgate::decode
