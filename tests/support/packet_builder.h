#pragma once
// PacketBuilder: builds IPv4/IPv6 packets field by field for tests, computing every length
// and checksum (IPv4 header, ICMP, ICMPv6 with pseudo-header, TCP, UDP) unless told not to.
// Test-only code: cold path, may allocate and throw (std::invalid_argument on bad input).
//
//   using icmpgate::test::PacketBuilder;
//   // Frag Needed (3/4, MTU 1400) quoting a TCP segment sent with DF, quote cut to 28 bytes:
//   const auto bytes = PacketBuilder::ipv4("192.0.2.1", "198.51.100.7")
//                          .frag_needed(1400)
//                          .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").df().tcp(44321, 443), 28)
//                          .build();
//   // ICMPv6 echo request behind a hop-by-hop header, hop limit 64:
//   PacketBuilder::ipv6("2001:db8::1", "2001:db8::2").hop_limit(64).hop_by_hop().echo_request(7, 1).build();
//
// Shape: one IP header (ipv4()/ipv6()), optional v6 extension headers in the order added,
// then exactly one upper layer (the last of icmp()/echo_request()/.../tcp()/udp()/
// transport()/raw_upper() wins). Overrides (ihl(), total_length(), payload_length(),
// protocol(), checksum(), bad_checksum(), ...) break one field on purpose; everything else
// stays consistent. Setters return *this, so calls chain on a temporary or on a variable.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <string_view>
#include <vector>

#include "filter/decode/anomaly.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/ip_address.h"

namespace icmpgate::test {

using Packet = std::vector<std::uint8_t>;

// The address bytes of a textual address (4 or 16 bytes); throws on bad text.
[[nodiscard]] Packet address_bytes(std::string_view text);

// An AnomalySet holding exactly these anomalies: BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated})).
[[nodiscard]] decode::AnomalySet anomaly_set(std::initializer_list<decode::Anomaly> anomalies);

// The first n bytes of a packet (all of it when n >= size): a capture cut or a short quote.
[[nodiscard]] Packet cut(const Packet& packet, std::size_t n);

class PacketBuilder {
public:
    // ---- IP layer -------------------------------------------------------------------------
    [[nodiscard]] static PacketBuilder ipv4(std::string_view src, std::string_view dst);
    [[nodiscard]] static PacketBuilder ipv6(std::string_view src, std::string_view dst);

    PacketBuilder& ttl(std::uint8_t value);               // v4 TTL or v6 hop limit (default 64)
    PacketBuilder& hop_limit(std::uint8_t value);         // same as ttl()
    PacketBuilder& identification(std::uint16_t value);   // v4 ID (default 0x1234)
    PacketBuilder& df(bool set = true);                   // v4 Don't Fragment
    PacketBuilder& mf(bool set = true);                   // v4 More Fragments
    PacketBuilder& fragment_offset(std::uint16_t units);  // v4 offset in 8-byte units
    // v4 options, padded with zero (End of Option List) bytes to a multiple of 4.
    PacketBuilder& ipv4_options(const Packet& options);
    PacketBuilder& ihl(std::uint8_t words);              // override IHL (default: header length / 4)
    PacketBuilder& total_length(std::uint16_t value);    // override v4 Total Length
    PacketBuilder& payload_length(std::uint16_t value);  // override v6 Payload Length
    PacketBuilder& protocol(std::uint8_t value);         // override v4 Protocol / last v6 Next Header
    PacketBuilder& bad_ip_checksum();                    // v4 header checksum off by one
    PacketBuilder& trailing_bytes(std::size_t n);        // n zero bytes after the packet (Ethernet padding)

    // ---- IPv6 extension headers, in the order added ---------------------------------------
    // Hop-by-Hop / Destination Options: 8 + 8 * extra_units bytes of padding options.
    PacketBuilder& hop_by_hop(std::uint8_t extra_units = 0);
    PacketBuilder& destination_options(std::uint8_t extra_units = 0);
    // Routing header: 8 bytes + addresses (16 bytes each), given type and segments left.
    PacketBuilder& routing(std::uint8_t routing_type, std::uint8_t segments_left,
                           const std::vector<std::string_view>& addresses = {});
    // Fragment header: offset in 8-byte units, M flag, identification.
    PacketBuilder& fragment_header(std::uint16_t offset_units, bool more, std::uint32_t id = 0x2a);
    // Authentication Header with icv_bytes of ICV (12 + icv_bytes in all, Payload Len set).
    PacketBuilder& authentication_header(std::size_t icv_bytes = 12);
    // A jumbogram (RFC 2675): a Hop-by-Hop header holding a Jumbo Payload option, added where
    // called (first, for a valid jumbogram), and Payload Length 0. The option holds the real
    // length after the fixed header unless `length` is given (to break it on purpose).
    PacketBuilder& jumbo_payload(std::optional<std::uint32_t> length = std::nullopt);
    // Any RFC 6564-shaped header: type, next header and length filled, 8 + 8 * extra_units bytes.
    PacketBuilder& extension(std::uint8_t type, std::uint8_t extra_units = 0);

    // ---- ICMP / ICMPv6 (the family follows the IP header) ---------------------------------
    PacketBuilder& icmp(std::uint8_t type, std::uint8_t code = 0);          // rest-of-header zero
    PacketBuilder& echo_request(std::uint16_t id, std::uint16_t sequence);  // v4 8 / v6 128
    PacketBuilder& echo_reply(std::uint16_t id, std::uint16_t sequence);    // v4 0 / v6 129
    PacketBuilder& frag_needed(std::uint16_t mtu);                          // v4 3/4 with the MTU in bytes 6-7
    PacketBuilder& packet_too_big(std::uint32_t mtu);                       // v6 2/0 with the MTU in bytes 4-7
    PacketBuilder& time_exceeded(std::uint8_t code = 0);                    // v4 11 / v6 3
    PacketBuilder& port_unreachable();                                      // v4 3/3 / v6 1/4
    // Fields of the second header word (bytes 4-7); each keeps the type and code.
    PacketBuilder& rest_of_header(std::uint32_t value);                    // the whole word, raw
    PacketBuilder& echo_fields(std::uint16_t id, std::uint16_t sequence);  // bytes 4-5, 6-7
    PacketBuilder& mtu(std::uint32_t value);                               // v4: bytes 6-7; v6: bytes 4-7
    PacketBuilder& pointer(std::uint32_t value);                           // v4: byte 4; v6: bytes 4-7
    PacketBuilder& gateway(std::string_view address);                      // v4 Redirect: bytes 4-7
    PacketBuilder& rfc4884_length(std::uint8_t words);  // raw count: v4 byte 5 (32-bit words), v6 byte 4 (64-bit words)
    // ICMP data after the 8-byte header (appended in call order).
    PacketBuilder& payload(const Packet& bytes);
    PacketBuilder& payload_zeros(std::size_t n);
    PacketBuilder& pad_payload_to(std::size_t n);  // zero-pad the data to n bytes (RFC 4884: 128)
    // Appends inner.build() cut to at most max_bytes (default: all) as ICMP data.
    PacketBuilder& quote(const PacketBuilder& inner, std::size_t max_bytes = SIZE_MAX);
    PacketBuilder& quote_bytes(const Packet& bytes);  // appends raw bytes as a quote
    PacketBuilder& checksum(std::uint16_t value);     // write this ICMP checksum instead of computing it
    PacketBuilder& bad_checksum();                    // computed ICMP checksum off by one

    // ---- other upper layers ---------------------------------------------------------------
    // TCP header (20 bytes, ACK, checksum computed) with the given ports and sequence.
    PacketBuilder& tcp(std::uint16_t src_port, std::uint16_t dst_port, std::uint32_t sequence = 0x01020304);
    // UDP header (checksum computed) and data_bytes zero data bytes.
    PacketBuilder& udp(std::uint16_t src_port, std::uint16_t dst_port, std::size_t data_bytes = 0);
    // 8 bytes: ports then four zero bytes, for SCTP (132), DCCP (33), UDP-Lite (136) ...
    PacketBuilder& transport(std::uint8_t protocol, std::uint16_t src_port, std::uint16_t dst_port);
    // Any protocol number with raw bytes (e.g. 59 No Next Header with {}).
    PacketBuilder& raw_upper(std::uint8_t protocol, const Packet& bytes);

    // ---- output ---------------------------------------------------------------------------
    [[nodiscard]] Packet build() const;
    [[nodiscard]] decode::Family family() const noexcept { return family_; }

private:
    enum class Upper : std::uint8_t { none, icmp, tcp, udp, raw };
    struct Extension {
        std::uint8_t type;
        Packet bytes;  // whole header; byte 0 (next header) is filled at build()
    };

    PacketBuilder(decode::Family family, std::string_view src, std::string_view dst);
    [[nodiscard]] std::uint8_t upper_protocol() const noexcept;
    [[nodiscard]] Packet build_upper() const;
    [[nodiscard]] std::uint16_t transport_checksum(std::uint8_t protocol, const Packet& segment) const;
    [[nodiscard]] bool is_v4() const noexcept { return family_ == decode::Family::ipv4; }
    void set_icmp(std::uint8_t type, std::uint8_t code);

    decode::Family family_;
    decode::IpAddress src_;
    decode::IpAddress dst_;
    std::uint8_t ttl_{64};
    std::uint16_t identification_{0x1234};
    bool df_{false};
    bool mf_{false};
    std::uint16_t fragment_offset_{0};
    Packet ipv4_options_;
    std::optional<std::uint8_t> ihl_;
    std::optional<std::uint16_t> total_length_;
    std::optional<std::uint16_t> payload_length_;
    bool jumbo_{false};
    std::optional<std::uint32_t> jumbo_length_;
    std::size_t jumbo_extension_{0};  // index of the Hop-by-Hop header holding the option
    std::optional<std::uint8_t> protocol_;
    bool bad_ip_checksum_{false};
    std::size_t trailing_bytes_{0};
    std::vector<Extension> extensions_;

    Upper upper_{Upper::none};
    std::uint8_t icmp_type_{0};
    std::uint8_t icmp_code_{0};
    std::array<std::uint8_t, 4> rest_{};
    Packet data_;  // ICMP data, or raw upper-layer bytes
    std::optional<std::uint16_t> icmp_checksum_;
    bool bad_checksum_{false};
    std::uint16_t src_port_{0};
    std::uint16_t dst_port_{0};
    std::uint32_t tcp_sequence_{0};
    std::size_t udp_data_{0};
    std::uint8_t raw_protocol_{0};
};

}  // namespace icmpgate::test

// Printing for Boost.Test diagnostics (BOOST_TEST(a == b) prints both sides on failure).
namespace icmpgate::decode {
std::ostream& operator<<(std::ostream& out, Family family);
std::ostream& operator<<(std::ostream& out, ChecksumState state);
std::ostream& operator<<(std::ostream& out, Anomaly anomaly);
std::ostream& operator<<(std::ostream& out, const AnomalySet& set);  // "{truncated, bad-checksum}"
std::ostream& operator<<(std::ostream& out, const IpAddress& address);
std::ostream& operator<<(std::ostream& out, const Echo& echo);
}  // namespace icmpgate::decode
