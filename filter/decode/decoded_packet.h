#pragma once
// The value the decoder produces and the rest of the program consumes. Fixed size, no
// pointers into the packet, no allocation: it can be copied, compared and printed.

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
    std::uint8_t protocol{0};          // upper-layer protocol after any extension headers
    IpAddress src;
    IpAddress dst;
    std::uint32_t total_length{0};     // as declared: v4 Total Length, v6 40 + Payload Length
    std::uint8_t ttl{0};               // TTL / hop limit as quoted
    bool dont_fragment{false};         // v4 DF; always false for v6
    bool more_fragments{false};
    std::uint16_t fragment_offset{0};  // in 8-byte units; non-zero means a non-first fragment
    bool has_fragment_header{false};   // v6 Fragment header present, or v4 MF/offset set
    std::uint16_t header_length{0};    // IP header (+ extension headers) length in the quote
    bool transport_complete{false};    // the first 8 bytes of the upper layer are present
    std::optional<std::uint16_t> src_port;   // TCP, UDP, SCTP, DCCP, UDP-Lite
    std::optional<std::uint16_t> dst_port;
    std::optional<std::uint32_t> tcp_sequence;
    std::optional<QuotedIcmp> icmp;    // protocol 1 in v4, 58 in v6
    friend constexpr bool operator==(const QuotedPacket&, const QuotedPacket&) noexcept = default;
};

struct DecodedPacket {
    // False for anything that is not an IP packet carrying ICMP of its family (reason
    // "not-icmp"); wrong-family ICMP is is_icmp=false unless flagged by the anomaly.
    bool is_icmp{false};
    bool is_ip{false};
    Family family{Family::ipv4};
    IpAddress src;
    IpAddress dst;
    std::uint8_t ttl{0};                     // TTL / hop limit
    std::uint8_t protocol{0};                // upper-layer protocol (after v6 extension headers)
    std::uint32_t ip_length{0};              // declared: v4 Total Length, v6 40 + Payload Length
    // What the bytes held. A header cut short (or a v6 chain that does not fit) leaves fields
    // unread: they keep their defaults and must not be reported. has_icmp_header implies all three.
    bool has_src{false};
    bool has_dst{false};
    bool has_protocol{false};                // the upper-layer protocol is known

    // Outer fragmentation (v4 flags/offset, or a v6 Fragment header).
    bool dont_fragment{false};
    bool more_fragments{false};
    std::uint16_t fragment_offset{0};        // in 8-byte units
    bool is_fragment{false};                 // part of a fragmented datagram (first or not)

    // ICMP header. Absent for non-first fragments and when the bytes end before it. A packet
    // whose declared length does not fit its bytes (anomaly truncated) still has it when its IP
    // header and 8 ICMP bytes are all there; its checksum and quote are then not judged.
    bool has_icmp_header{false};
    std::uint8_t icmp_type{0};
    std::uint8_t icmp_code{0};
    std::uint16_t icmp_checksum{0};
    std::uint32_t payload_size{0};           // bytes after the 8-byte ICMP header, as declared
    ChecksumState checksum{ChecksumState::not_judged};

    // Type-specific fields.
    std::optional<Echo> echo;                // echo, timestamp, information, address mask, ext. echo
    std::optional<std::uint32_t> mtu;        // v4 3/4 (16 bits), v6 2 (32 bits)
    std::optional<std::uint32_t> pointer;    // v4 12 (8 bits), v6 4 (32 bits)
    std::optional<IpAddress> gateway;        // v4 5 gateway, v6 137 target address
    std::optional<std::uint32_t> rfc4884_length;  // RFC 4884 length attribute in bytes (non-zero only)

    std::optional<QuotedPacket> quoted;
    AnomalySet anomalies;

    friend constexpr bool operator==(const DecodedPacket&, const DecodedPacket&) noexcept = default;
};

}  // namespace icmpgate::decode
