#pragma once
// The value the decoder produces and the rest of the program consumes. Fixed size, no
// pointers into the packet, no allocation: it can be copied, compared and printed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "filter/decode/anomaly.h"
#include "filter/decode/family.h"
#include "filter/decode/ip_address.h"

namespace icmpgate::decode {

enum class ChecksumState : std::uint8_t {
    not_judged,  // incomplete data (fragment, cut capture), checksum-not-ready, or no ICMP header
    valid,
    invalid,
};

struct Echo {
    std::uint16_t id{0};
    std::uint16_t sequence{0};
    friend constexpr bool operator==(const Echo&, const Echo&) noexcept = default;
};

// The ICMP header inside a quote (the quoted packet was itself ICMP).
struct QuotedIcmp {
    std::uint8_t type{0};
    std::uint8_t code{0};
    std::optional<Echo> echo;  // when the quoted message is an echo / timestamp / info message
    friend constexpr bool operator==(const QuotedIcmp&, const QuotedIcmp&) noexcept = default;
};

// The embedded ("quoted") original datagram of an error message (RFC 792, RFC 4443 2.4(c)).
// Present when the quoted IP header (and, for IPv6, its extension chain) decodes; the
// transport fields are present only when their bytes are.
struct QuotedPacket {
    Family family{Family::ipv4};
    std::uint8_t protocol{0};  // upper-layer protocol after any extension headers
    IpAddress src;
    IpAddress dst;
    std::uint32_t total_length{0};  // as declared: v4 Total Length, v6 40 + Payload Length
    std::uint8_t ttl{0};            // TTL / hop limit as quoted
    bool dont_fragment{false};      // v4 DF; always false for v6
    bool more_fragments{false};
    std::uint16_t fragment_offset{0};       // in 8-byte units; non-zero means a non-first fragment
    bool has_fragment_header{false};        // v6 Fragment header present, or v4 MF/offset set
    std::uint16_t header_length{0};         // IP header (+ extension headers) length in the quote
    bool transport_complete{false};         // the first 8 bytes of the upper layer are present
    std::optional<std::uint16_t> src_port;  // TCP, UDP, SCTP, DCCP, UDP-Lite
    std::optional<std::uint16_t> dst_port;
    std::optional<std::uint32_t> tcp_sequence;
    std::optional<QuotedIcmp> icmp;  // protocol 1 in v4, 58 in v6
    friend constexpr bool operator==(const QuotedPacket&, const QuotedPacket&) noexcept = default;
};

// RFC 4950 2.1: one entry of an MPLS label stack that an LSR quoted (RFC 3032 2.1 layout).
struct MplsLabelEntry {
    std::uint32_t label{0};         // 20 bits
    std::uint8_t traffic_class{0};  // 3 bits ("EXP" in RFC 4950; renamed by RFC 5462)
    bool bottom_of_stack{false};    // the S bit
    std::uint8_t ttl{0};
    friend constexpr bool operator==(const MplsLabelEntry&, const MplsLabelEntry&) noexcept = default;
};

// RFC 5837 4.1: which interface an Interface Information Object describes.
enum class InterfaceRole : std::uint8_t {
    incoming = 0,         // the IP interface upon which the datagram arrived
    incoming_sub_ip = 1,  // a sub-IP component of that interface
    outgoing = 2,         // the IP interface through which it would have been forwarded
    next_hop = 3,         // the IP next hop to which it would have been forwarded
};

// RFC 5837 4.3: an interface name is at most 63 octets (its sub-object, length octet included, 64).
inline constexpr std::size_t kExtensionInterfaceNameMax = 63;

// RFC 5837 4: one Interface Information Object; each part is there only when its C-Type bit is.
struct InterfaceInformation {
    InterfaceRole role{InterfaceRole::incoming};
    std::optional<std::uint32_t> if_index;
    std::optional<IpAddress> address;
    bool has_name{false};
    std::uint8_t name_length{0};  // octets before the NUL padding; not checked to be UTF-8
    std::array<char, kExtensionInterfaceNameMax> name{};
    std::optional<std::uint32_t> mtu;
    friend constexpr bool operator==(const InterfaceInformation&, const InterfaceInformation&) noexcept = default;
};

// What icmpgate keeps of a valid RFC 4884 extension structure: fixed size, bounded counts.
inline constexpr std::size_t kMaxMplsLabels = 8;        // deeper stacks are counted, not kept
inline constexpr std::size_t kMaxInterfaceObjects = 4;  // RFC 5837 defines four roles

struct IcmpExtensions {
    // False: no length attribute announced it; found 128 octets in, as RFC 4884 5 lets a
    // receiver do for the MPLS-aware senders that predate it (ICMPv4 only).
    bool from_length_attribute{true};
    ChecksumState checksum{ChecksumState::not_judged};  // not_judged: checksum field 0 (none sent)
    std::uint32_t object_count{0};                      // every object, understood or not
    // The first MPLS Label Stack Object (class 1, C-Type 1): its entries, at most kMaxMplsLabels.
    std::uint16_t mpls_label_total{0};
    std::uint8_t mpls_label_count{0};
    std::array<MplsLabelEntry, kMaxMplsLabels> mpls_labels{};
    // Interface Information Objects (class 2), at most kMaxInterfaceObjects kept.
    std::uint16_t interface_total{0};
    std::uint8_t interface_count{0};
    std::array<InterfaceInformation, kMaxInterfaceObjects> interfaces{};
    friend constexpr bool operator==(const IcmpExtensions&, const IcmpExtensions&) noexcept = default;
};

// std::optional<IcmpExtensions> whose construction costs its flag, not its ~500 bytes. With a
// plain optional, DecodedPacket's default constructor is a constant that GCC writes with one
// memset over the whole 700-byte object, a libc call on every packet; a constructor that is not
// constexpr makes it initialise the members one by one. (Copies stay trivial: one memcpy is
// cheaper than a member-wise copy that skips an empty payload.)
struct OptionalExtensions : std::optional<IcmpExtensions> {
    OptionalExtensions() noexcept {}  // not "= default", which would be constexpr
    friend constexpr bool operator==(const OptionalExtensions& a, const OptionalExtensions& b) noexcept {
        return static_cast<const std::optional<IcmpExtensions>&>(a) ==
               static_cast<const std::optional<IcmpExtensions>&>(b);
    }
};

struct DecodedPacket {
    // False for anything that is not an IP packet carrying ICMP of its family (reason
    // "not-icmp"); wrong-family ICMP is is_icmp=false unless flagged by the anomaly.
    bool is_icmp{false};
    bool is_ip{false};
    Family family{Family::ipv4};
    IpAddress src;
    IpAddress dst;
    std::uint8_t ttl{0};         // TTL / hop limit
    std::uint8_t protocol{0};    // upper-layer protocol (after v6 extension headers)
    std::uint32_t ip_length{0};  // declared: v4 Total Length, v6 40 + Payload Length
    // What the bytes held. A header cut short (or a v6 chain that does not fit) leaves fields
    // unread: they keep their defaults and must not be reported. has_icmp_header implies all three.
    bool has_src{false};
    bool has_dst{false};
    bool has_protocol{false};  // the upper-layer protocol is known

    // Outer fragmentation (v4 flags/offset, or a v6 Fragment header).
    bool dont_fragment{false};
    bool more_fragments{false};
    std::uint16_t fragment_offset{0};  // in 8-byte units
    bool is_fragment{false};           // part of a fragmented datagram (first or not)

    // ICMP header. Absent for non-first fragments and when the bytes end before it. A packet
    // whose declared length does not fit its bytes (anomaly truncated) still has it when its IP
    // header and 8 ICMP bytes are all there; it is then read like a cut capture (checksum not
    // judged, quote read from the bytes there).
    bool has_icmp_header{false};
    std::uint8_t icmp_type{0};
    std::uint8_t icmp_code{0};
    std::uint16_t icmp_checksum{0};
    std::uint32_t payload_size{0};  // bytes after the 8-byte ICMP header, as declared
    ChecksumState checksum{ChecksumState::not_judged};

    // Type-specific fields.
    std::optional<Echo> echo;                     // echo, timestamp, information, address mask, ext. echo
    std::optional<std::uint32_t> mtu;             // v4 3/4 (16 bits), v6 2 (32 bits)
    std::optional<std::uint32_t> pointer;         // v4 12 (8 bits), v6 4 (32 bits)
    std::optional<IpAddress> gateway;             // v4 5 gateway, v6 137 target address
    std::optional<std::uint32_t> rfc4884_length;  // RFC 4884 length attribute in bytes (non-zero only)

    std::optional<QuotedPacket> quoted;
    AnomalySet anomalies;

    // The RFC 4884 extension structure of an error message, when one is there and valid.
    OptionalExtensions extensions;

    friend constexpr bool operator==(const DecodedPacket&, const DecodedPacket&) noexcept = default;
};

}  // namespace icmpgate::decode
