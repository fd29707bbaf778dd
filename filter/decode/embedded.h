#pragma once
// The quote inside an ICMP error: "the internet header plus the first 64 bits of the original
// datagram" (RFC 792, RFC 1122 3.2.2, RFC 4443 2.4(c)). One implementation for both families.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "filter/decode/byte_reader.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/family.h"

namespace icmpgate::decode {

// RFC 792: the first 64 bits of the original datagram's data.
inline constexpr std::size_t kQuotedTransportPrefix = 8;
// Source and destination ports lead TCP, UDP, SCTP, DCCP and UDP-Lite headers.
inline constexpr std::size_t kPortsLength = 4;

struct QuoteDecode {
    bool bad_embedded{false};  // not an IP header of the outer family plus 8 bytes
    bool ran_out{false};       // bad_embedded only because the bytes ended too early
};

// Decodes the quote (the bytes after the 8-byte ICMP header, bounded by the message end) into
// `quoted`, in place (no copy of the addresses: see IpAddress::assign_v4): engaged when the
// quoted IP header (and v6 chain) decodes, empty otherwise.
// The quoted datagram is read over min(bytes present, its declared length): v4 Total Length,
// v6 40 + Payload Length. A declared length beyond the bytes present is normal (quotes are cut:
// RFC 1812 4.3.2.3, RFC 4443 2.4(c)) and never flagged; one shorter than the quoted header (or
// its v6 extension chain), or leaving fewer than 8 upper-layer bytes, is bad_embedded. The
// quoted checksums are not validated (RFC 1812 4.3.2.3 lets routers change the header).
[[nodiscard]] QuoteDecode decode_quote(Family outer_family, Bytes quote, std::optional<QuotedPacket>& quoted) noexcept;

// Fills the transport fields of quoted from the upper-layer bytes of the quote: ports, TCP
// sequence, quoted ICMP type/code/echo. Returns true when the first 8 bytes are present.
// Shared by both families so the two cannot drift.
bool decode_quoted_transport(QuotedPacket& quoted, Bytes upper_layer) noexcept;

}  // namespace icmpgate::decode
