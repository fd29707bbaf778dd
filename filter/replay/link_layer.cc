#include "filter/replay/link_layer.h"

#include <pcap/pcap.h>

#include <array>

namespace icmpgate::replay {
namespace {

using decode::be16;
using decode::be32;
using decode::be8;
using decode::ByteReader;
using decode::Bytes;

// Ethertypes (IEEE registry) and the Linux cooked headers' protocol field, which carries them.
constexpr std::uint16_t kEthertypeIpv4 = 0x0800;
constexpr std::uint16_t kEthertypeIpv6 = 0x86DD;
constexpr std::uint16_t kEthertypeVlan = 0x8100;        // IEEE 802.1Q
constexpr std::uint16_t kEthertypeQinQ = 0x88A8;        // IEEE 802.1ad service tag
constexpr std::uint16_t kEthertypeQinQLegacy = 0x9100;  // pre-standard double tagging

constexpr std::size_t kEthernetAddressesLength = 12;  // destination + source MAC
constexpr std::size_t kVlanTagLength = 4;             // TCI (2) + inner ethertype (2)
// Bound on stacked tags: real networks use at most two; a frame of nothing but tags is not IP.
constexpr std::size_t kMaxVlanTags = 8;

// Linux cooked capture v1: packet type, ARPHRD type, address length, 8 address bytes, protocol.
constexpr std::size_t kSllHeaderLength = 16;
// Linux cooked capture v2: protocol, reserved, ifindex, ARPHRD type, packet type, address length, 8 address bytes.
constexpr std::size_t kSll2HeaderLength = 20;

// BSD loopback: a 4-byte address family, in the capturing host's byte order (DLT_NULL) or
// network order (DLT_LOOP). IPv6's value differs between systems.
constexpr std::size_t kLoopbackHeaderLength = 4;
constexpr std::uint32_t kAfInet = 2;
constexpr std::array<std::uint32_t, 4> kAfInet6Values{10 /* Linux */, 24 /* NetBSD, OpenBSD */, 28 /* FreeBSD */,
                                                      30 /* macOS */};
constexpr unsigned kByteBits = 8;
constexpr std::uint32_t kByteMask = 0xFF;

// PPP (LINKTYPE_PPP, 9): RFC 1662 HDLC-like framing starts with address 0xFF and control 0x03,
// which RFC 1661 6.6 lets a link leave out; then the Protocol field, two octets or, compressed
// (RFC 1661 6.5), one octet when its value is below 0x100: a value's last octet is always odd,
// so an odd first octet is a one-octet field. The frame holds no flag, FCS or stuffed bytes.
constexpr std::uint8_t kPppAddress = 0xFF;
constexpr std::uint8_t kPppControl = 0x03;
constexpr std::size_t kPppAddressControlLength = 2;
constexpr std::uint16_t kPppIpv4 = 0x0021;  // RFC 1332
constexpr std::uint16_t kPppIpv6 = 0x0057;  // RFC 5072
constexpr std::uint8_t kPppOneOctetProtocolBit = 0x01;

// LINKTYPE_RAW's number in the file format; libpcap maps it to DLT_RAW, but accept both.
constexpr int kLinktypeRaw = 101;

L3View ip_after(Bytes frame, std::size_t header_length) noexcept {
    ByteReader reader{frame};
    if (!reader.skip(header_length)) return {};
    return {LinkPayload::ip, reader.rest(), header_length};
}

L3View by_ethertype(std::uint16_t ethertype, Bytes frame, std::size_t header_length) noexcept {
    if (ethertype != kEthertypeIpv4 && ethertype != kEthertypeIpv6) return {};
    return ip_after(frame, header_length);
}

L3View strip_ethernet(Bytes frame) noexcept {
    ByteReader reader{frame};
    if (!reader.skip(kEthernetAddressesLength)) return {};
    std::size_t header_length = kEthernetAddressesLength;
    for (std::size_t tags = 0; tags <= kMaxVlanTags; ++tags) {
        const auto type_field = reader.take_fixed<2>();
        if (!type_field) return {};
        header_length += type_field->size();
        const std::uint16_t ethertype = be16<0>(*type_field);
        if (ethertype != kEthertypeVlan && ethertype != kEthertypeQinQ && ethertype != kEthertypeQinQLegacy)
            return by_ethertype(ethertype, frame, header_length);
        // Skip the tag control information; the next two bytes are the inner ethertype.
        constexpr std::size_t kTciLength = kVlanTagLength - 2;
        if (!reader.skip(kTciLength)) return {};
        header_length += kTciLength;
    }
    return {};
}

L3View strip_sll(Bytes frame) noexcept {
    ByteReader reader{frame};
    const auto header = reader.take_fixed<kSllHeaderLength>();
    if (!header) return {};
    return by_ethertype(be16<14>(*header), frame, kSllHeaderLength);
}

L3View strip_sll2(Bytes frame) noexcept {
    ByteReader reader{frame};
    const auto header = reader.take_fixed<kSll2HeaderLength>();
    if (!header) return {};
    return by_ethertype(be16<0>(*header), frame, kSll2HeaderLength);
}

L3View strip_ppp(Bytes frame) noexcept {
    ByteReader reader{frame};
    std::size_t header_length = 0;
    if (const auto address_control = reader.peek_fixed<kPppAddressControlLength>();
        address_control && be8<0>(*address_control) == kPppAddress && be8<1>(*address_control) == kPppControl) {
        if (!reader.skip(kPppAddressControlLength)) return {};
        header_length = kPppAddressControlLength;
    }
    const auto first = reader.peek_fixed<1>();
    if (!first) return {};
    std::uint16_t protocol = be8<0>(*first);
    if ((protocol & kPppOneOctetProtocolBit) != 0) {
        header_length += 1;
    } else {
        const auto two = reader.peek_fixed<2>();
        if (!two) return {};
        protocol = be16<0>(*two);
        header_length += 2;
    }
    if (protocol != kPppIpv4 && protocol != kPppIpv6) return {};  // LCP, IPCP, MPLS (0x0281), ...
    return ip_after(frame, header_length);
}

constexpr std::uint32_t byte_swapped(std::uint32_t v) noexcept {
    return ((v & kByteMask) << (3 * kByteBits)) | (((v >> kByteBits) & kByteMask) << (2 * kByteBits)) |
           (((v >> (2 * kByteBits)) & kByteMask) << kByteBits) | (v >> (3 * kByteBits));
}

L3View strip_loopback(Bytes frame) noexcept {
    ByteReader reader{frame};
    const auto header = reader.take_fixed<kLoopbackHeaderLength>();
    if (!header) return {};
    const std::uint32_t big_endian = be32<0>(*header);
    for (const std::uint32_t family : {big_endian, byte_swapped(big_endian)}) {
        if (family == kAfInet) return ip_after(frame, kLoopbackHeaderLength);
        for (const std::uint32_t inet6 : kAfInet6Values)
            if (family == inet6) return ip_after(frame, kLoopbackHeaderLength);
    }
    return {};
}

}  // namespace

bool is_supported_link_type(int link_type) noexcept {
    switch (link_type) {
        case DLT_EN10MB:
        case DLT_LINUX_SLL:
        case DLT_LINUX_SLL2:
        case DLT_RAW:
        case kLinktypeRaw:
        case DLT_IPV4:
        case DLT_IPV6:
        case DLT_NULL:
        case DLT_LOOP:
        case DLT_PPP:
            return true;
        default:
            return false;
    }
}

const char* link_type_name(int link_type) noexcept {
    const char* name = pcap_datalink_val_to_name(link_type);
    return name != nullptr ? name : "";
}

L3View strip_link_layer(int link_type, Bytes frame) noexcept {
    switch (link_type) {
        case DLT_EN10MB:
            return strip_ethernet(frame);
        case DLT_LINUX_SLL:
            return strip_sll(frame);
        case DLT_LINUX_SLL2:
            return strip_sll2(frame);
        case DLT_RAW:
        case kLinktypeRaw:
        case DLT_IPV4:
        case DLT_IPV6:
            return ip_after(frame, 0);
        case DLT_NULL:
        case DLT_LOOP:
            return strip_loopback(frame);
        case DLT_PPP:
            return strip_ppp(frame);
        default:
            return {};
    }
}

}  // namespace icmpgate::replay
