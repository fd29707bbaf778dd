#pragma once
// The IPv6 header (RFC 8200) and its extension-header chain: one bounded walk for the outer
// packet and for the quote inside an error, plus the outer-packet rules.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "filter/decode/byte_reader.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/ip_address.h"
#include "filter/decode/ip_payload.h"
#include "filter/decode/packet_meta.h"

namespace icmpgate::decode {

inline constexpr std::size_t kIpv6Header = 40;
// The decoder's bounded walk: a chain of more than 16 extension headers is not walked further
// (anomaly too-many-extension-headers for the outer packet, bad-embedded in a quote). RFC 8200
// 4.1 recommends at most one of each, about eight in all; 16 leaves room. RFC 8883 lets a node
// discard such packets (Parameter Problem "too many extension headers").
inline constexpr std::size_t kMaxExtensionHeaders = 16;

// The fixed header's fields, read where they lie: nothing is copied, so the addresses go
// straight from the packet into the IpAddress that keeps them (IpAddress::assign_v6).
class Ipv6Header {
public:
    constexpr explicit Ipv6Header(FixedBytes<kIpv6Header> bytes) noexcept : h_{bytes} {}
    [[nodiscard]] constexpr std::uint16_t payload_length() const noexcept { return be16<4>(h_); }
    [[nodiscard]] constexpr std::uint8_t next_header() const noexcept { return be8<6>(h_); }
    [[nodiscard]] constexpr std::uint8_t hop_limit() const noexcept { return be8<7>(h_); }
    [[nodiscard]] constexpr FixedBytes<16> src() const noexcept { return h_.subspan<8, 16>(); }
    [[nodiscard]] constexpr FixedBytes<16> dst() const noexcept { return h_.subspan<24, 16>(); }

private:
    FixedBytes<kIpv6Header> h_;
};

// The packet's declared length, 40 + payload: Payload Length, or for a jumbogram the Jumbo
// Payload Length (RFC 2675 2: the length after the fixed header, extension headers included,
// greater than 65,535). A packet is a jumbogram when its Payload Length is 0 and a Hop-by-Hop
// Options header follows (RFC 2675 3); without a valid Jumbo Payload option in that header its
// length is 40, which the rest of the packet then does not fit. A Jumbo Payload option in a
// packet whose Payload Length is not 0 is not looked for (RFC 2675 3 makes it an error anyway).
// `after_header` are the bytes present after the fixed header.
[[nodiscard]] std::size_t declared_ipv6_length(const Ipv6Header& header, Bytes after_header) noexcept;

// The fixed 40-byte header, or nullopt when fewer bytes are present.
[[nodiscard]] constexpr std::optional<Ipv6Header> read_ipv6_header(Bytes bytes) noexcept {
    const auto fixed = ByteReader{bytes}.peek_fixed<kIpv6Header>();
    if (!fixed) return std::nullopt;
    return Ipv6Header{*fixed};
}

// Headers the walk can step over: every one has the RFC 6564 shape (next header, length),
// AH counting 4-byte units (RFC 4302 2.2), the Fragment header fixed at 8 bytes. ESP (50)
// cannot be stepped over and No Next Header (59) ends the chain: both count as upper layers.
[[nodiscard]] constexpr bool is_extension_header(std::uint8_t next_header) noexcept {
    switch (next_header) {
        case 0:    // Hop-by-Hop Options
        case 43:   // Routing
        case 44:   // Fragment
        case 51:   // Authentication Header
        case 60:   // Destination Options
        case 135:  // Mobility (RFC 6275)
        case 139:  // HIP (RFC 7401)
        case 140:  // Shim6 (RFC 5533)
        case 253:  // experimentation and testing (RFC 3692, RFC 4727)
        case 254:
            return true;
        default:
            return false;
    }
}

enum class ChainStatus : std::uint8_t {
    complete,  // reached an upper-layer protocol (or the data of a non-first fragment)
    cut,       // a header does not fit the bytes
    too_long,  // more than kMaxExtensionHeaders headers
};

struct ExtensionChain {
    ChainStatus status{ChainStatus::complete};
    std::uint8_t upper_protocol{0};  // next header after the last header walked
    std::size_t length{0};           // bytes of extension headers walked
    bool has_fragment_header{false};
    bool more_fragments{false};
    std::uint16_t fragment_offset{0};   // 8-byte units; non-zero stops the walk (no headers follow)
    bool routing_segments_left{false};  // a routing header still has segments to visit
};

// Walks the chain that starts with first_next_header over the bytes after the fixed header.
[[nodiscard]] ExtensionChain walk_extension_chain(std::uint8_t first_next_header, Bytes bytes) noexcept;

// Decodes the outer IPv6 layer into packet and returns the ICMPv6 message it carries, or
// nullopt when there is none to decode (truncated, not ICMPv6, wrong family, non-first fragment).
[[nodiscard]] std::optional<IpPayload> decode_outer_ipv6(Bytes l3, const DecodeOptions& options,
                                                         DecodedPacket& packet) noexcept;

}  // namespace icmpgate::decode
