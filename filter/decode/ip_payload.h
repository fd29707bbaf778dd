#pragma once
// What the outer IP layer hands to the ICMP layer, and the two rules both families share:
// how a declared length fits the bytes present, and which upper-layer protocols are ICMP.

#include <cstddef>
#include <cstdint>

#include "filter/decode/byte_reader.h"
#include "filter/decode/family.h"
#include "filter/decode/icmp_types.h"
#include "filter/decode/packet_meta.h"

namespace icmpgate::decode {

// The upper-layer (ICMP) message as the outer IP header delimits it.
struct IpPayload {
    Bytes bytes;                         // the bytes present, never past the declared end
    std::size_t declared_length{0};      // upper-layer length according to the IP header
    bool complete{false};                // every declared byte is present (not a cut capture)
    bool final_destination_known{true};  // v6: no routing header with segments left (RFC 8200 8.1)
    // The declared length does not fit the bytes and no capture cut explains it (anomaly
    // truncated, set by the IP layer): the message is read like a cut capture's.
    bool truncated{false};
};

enum class LengthFit : std::uint8_t {
    whole,        // every declared byte is present (trailing bytes, e.g. Ethernet padding, are ignored)
    capture_cut,  // the capture cut the packet (DecodeOptions::wire_length): fine, but not all data is here
    truncated,    // the declared length does not fit the bytes: the packet itself is short
};

// How a packet's declared length (v4 Total Length, v6 40 + Payload Length) fits the bytes present.
[[nodiscard]] constexpr LengthFit fit_declared_length(std::size_t declared, std::size_t present,
                                                      const DecodeOptions& options) noexcept {
    if (declared <= present) return LengthFit::whole;
    if (options.wire_length != 0 && declared <= options.wire_length) return LengthFit::capture_cut;
    return LengthFit::truncated;
}

enum class UpperLayer : std::uint8_t {
    icmp,          // ICMP of the packet's own family
    wrong_family,  // ICMPv6 in IPv4, ICMP in IPv6 (pf, Suricata ipv4.icmpv6 / ipv6.icmpv4)
    other,         // anything else: not ours to judge
};

[[nodiscard]] constexpr std::uint8_t icmp_protocol(Family family) noexcept {
    return family == Family::ipv4 ? kIpProtoIcmp : kIpProtoIcmpv6;
}

[[nodiscard]] constexpr UpperLayer classify_upper_layer(Family family, std::uint8_t protocol) noexcept {
    if (protocol == icmp_protocol(family)) return UpperLayer::icmp;
    const Family other = family == Family::ipv4 ? Family::ipv6 : Family::ipv4;
    if (protocol == icmp_protocol(other)) return UpperLayer::wrong_family;
    return UpperLayer::other;
}

}  // namespace icmpgate::decode
