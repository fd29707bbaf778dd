#pragma once
// Semantic checks over the decoded facts (no bytes): each predicate says whether one anomaly
// applies to a decoded packet. The decoder sets every anomaly that applies; the engine picks
// the first enabled one in table order.

#include "filter/decode/anomaly.h"
#include "filter/decode/decoded_packet.h"

namespace icmpgate::decode {

inline constexpr std::uint32_t kIpv4MinMtu = 68;                 // RFC 791, RFC 1191 3
inline constexpr std::uint32_t kIpv6MinMtu = 1280;               // RFC 8200 5, RFC 8201 4
inline constexpr std::uint32_t kIpv4MaxErrorLength = 576;        // RFC 1812 4.3.2.3
inline constexpr std::uint32_t kIpv6MaxErrorLength = 1280;       // RFC 4443 2.4(c)
inline constexpr std::uint8_t kNeighborDiscoveryHopLimit = 255;  // RFC 4861 6.1, 7.1, 8.1
inline constexpr std::uint8_t kMldHopLimit = 1;                  // RFC 2710 3, RFC 3810 5

// An error quoting (the first fragment of) an ICMP error, or a v6 Redirect (RFC 1122 3.2.2,
// RFC 4443 2.4(e.1, e.2)). An error quoting an echo is legal (traceroute -I).
[[nodiscard]] bool is_error_about_error(const DecodedPacket& packet) noexcept;
// The quoted source is not the error's destination (Linux nf_conntrack_inet_error).
[[nodiscard]] bool has_embedded_mismatch(const DecodedPacket& packet) noexcept;
// v4 Frag Needed: MTU 1..67, MTU not below the quoted Total Length, quote without DF (MTU 0 is
// the legal old style, RFC 1191 5). v6 PTB: MTU < 1280 or not below the quoted length.
[[nodiscard]] bool has_implausible_mtu(const DecodedPacket& packet) noexcept;
// The quote is a non-first fragment (RFC 1122 3.2.2 (4), RFC 1812 4.3.2.7).
[[nodiscard]] bool has_quoted_fragment(const DecodedPacket& packet) noexcept;
// The quoted destination is multicast/broadcast, except v6 Packet Too Big and Parameter
// Problem code 2 (RFC 4443 2.4(e.3)).
[[nodiscard]] bool has_quoted_multicast(const DecodedPacket& packet) noexcept;
// The quoted source is not a single host (RFC 1122 3.2.2 (5), RFC 4443 2.4(e.6)).
[[nodiscard]] bool has_quoted_bad_source(const DecodedPacket& packet) noexcept;
// A v6 error over 1280 bytes (RFC 4443 2.4(c)) or a v4 error over 576 (RFC 1812 4.3.2.3).
[[nodiscard]] bool is_oversized_error(const DecodedPacket& packet) noexcept;
// ND/Redirect not at hop limit 255; MLD not at hop limit 1 or from a non link-local source.
[[nodiscard]] bool has_bad_hop_limit(const DecodedPacket& packet) noexcept;
// An RFC 4884 length under 128 bytes or past the message (only the defining types carry one).
[[nodiscard]] bool has_bad_extension(const DecodedPacket& packet) noexcept;

// Every plausibility anomaly that applies. Packets without an ICMP header get none.
// unknown_type is left to the engine, which owns the type catalogue.
[[nodiscard]] AnomalySet plausibility_anomalies(const DecodedPacket& packet) noexcept;

}  // namespace icmpgate::decode
