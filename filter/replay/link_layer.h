#pragma once
// Strips a captured frame's link-layer header down to its IPv4/IPv6 packet, for the link
// types replay supports. Pure and allocation-free: the result is a view into the frame.

#include <cstddef>
#include <cstdint>

#include "filter/decode/byte_reader.h"

namespace icmpgate::replay {

enum class LinkPayload : std::uint8_t {
    ip,      // `l3` is the IPv4 or IPv6 packet
    not_ip,  // a supported link type carrying something else (ARP, LLDP, ...) or a header cut short
};

struct L3View {
    LinkPayload payload{LinkPayload::not_ip};
    decode::Bytes l3;                   // empty unless payload == ip
    std::size_t link_header_length{0};  // bytes stripped in front of l3
};

// The libpcap DLT_ values replay understands (pcap_datalink()): Ethernet (with 802.1Q /
// 802.1ad tags), Linux cooked v1 and v2, raw IP, IPv4, IPv6, BSD loopback and PPP.
[[nodiscard]] bool is_supported_link_type(int link_type) noexcept;

// A readable name for a link type ("EN10MB", "LINUX_SLL2", ...) or "" when libpcap has none.
[[nodiscard]] const char* link_type_name(int link_type) noexcept;

// For a supported link type: the L3 packet, or not_ip. Unsupported link types give not_ip.
[[nodiscard]] L3View strip_link_layer(int link_type, decode::Bytes frame) noexcept;

}  // namespace icmpgate::replay
