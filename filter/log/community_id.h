#pragma once
// Community ID flow hash, version 1 (corelight/community-id-spec): a string that names a
// flow the same way in Suricata, Zeek, Elastic and icmpgate logs, so a pipeline can join
// them. Computed from the packet's own outer header: for an ICMP error that is the error
// message itself (router -> host, its type and code), as Suricata logs it, not the flow
// quoted inside it. Pure: no allocation, no I/O, the text lives in a fixed buffer.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "filter/decode/decoded_packet.h"
#include "filter/decode/ip_address.h"

namespace icmpgate::log {

// "1:" + base64 of the 20-byte SHA-1 digest (28 characters, one '=' of padding).
inline constexpr std::size_t kCommunityIdLength = 30;

struct CommunityId {
    std::array<char, kCommunityIdLength> text{};
    [[nodiscard]] std::string_view view() const noexcept { return {text.data(), text.size()}; }
};

// The spec's "port" equivalents of an ICMP message, taken from Zeek: a request or reply
// type maps to (type, its counterpart) and is two-way, so a request and its reply give
// the same id; any other type maps to (type, code) and is one-way (never reordered).
struct IcmpPorts {
    std::uint16_t source{0};
    std::uint16_t destination{0};
    bool one_way{true};
};
[[nodiscard]] IcmpPorts icmp_port_equivalents(decode::Family family, std::uint8_t type, std::uint8_t code) noexcept;

// The id of an ICMP (protocol 1, IPv4) or ICMPv6 (protocol 58, IPv6) message.
[[nodiscard]] CommunityId community_id_icmp(const decode::IpAddress& src, const decode::IpAddress& dst,
                                            std::uint8_t type, std::uint8_t code, std::uint16_t seed) noexcept;

// The id of an IP packet of a protocol without ports (the spec's "other IP-borne protocols").
[[nodiscard]] CommunityId community_id_portless(const decode::IpAddress& src, const decode::IpAddress& dst,
                                                std::uint8_t protocol, std::uint16_t seed) noexcept;

// The id of a decoded packet, or nothing when the spec gives it none or the packet lacks
// what the hash needs: not IP; ICMP of its family without the ICMP header (a non-first
// fragment, a cut packet); TCP, UDP or SCTP (icmpgate decodes no ports); ICMP of the other
// family (its mapping is ambiguous).
[[nodiscard]] std::optional<CommunityId> community_id(const decode::DecodedPacket& packet, std::uint16_t seed) noexcept;

}  // namespace icmpgate::log
