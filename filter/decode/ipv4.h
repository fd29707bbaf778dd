#pragma once
// The IPv4 header (RFC 791): one reader for the outer packet and for the quote inside an
// error, plus the outer-packet rules (lengths, fragments, protocol).

#include <cstddef>
#include <cstdint>
#include <optional>

#include "filter/decode/byte_reader.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/ip_address.h"
#include "filter/decode/ip_payload.h"
#include "filter/decode/packet_meta.h"

namespace icmpgate::decode {

inline constexpr std::size_t kIpv4MinHeader = 20;
inline constexpr std::size_t kIpv4HeaderUnit = 4;   // IHL counts 32-bit words
inline constexpr std::size_t kIpv4MinIhl = kIpv4MinHeader / kIpv4HeaderUnit;
inline constexpr std::size_t kFragmentOffsetUnit = 8;  // both families count fragment offsets in 8-byte units

struct Ipv4Header {
    std::size_t header_length{0};  // IHL * 4 (meaningful only when the header reads ok)
    std::uint16_t total_length{0};
    std::uint8_t ttl{0};
    std::uint8_t protocol{0};
    bool dont_fragment{false};
    bool more_fragments{false};
    std::uint16_t fragment_offset{0};  // 8-byte units
    IpAddress src;
    IpAddress dst;

    [[nodiscard]] constexpr bool is_fragment() const noexcept { return more_fragments || fragment_offset != 0; }
};

enum class Ipv4HeaderStatus : std::uint8_t {
    ok,            // IHL >= 5 and IHL * 4 bytes present (options included)
    short_header,  // fewer than 20 bytes: no field is known
    bad_ihl,       // IHL < 5 (the fixed fields were read)
    options_cut,   // IHL * 4 exceeds the bytes present (the fixed fields were read)
};

struct Ipv4HeaderRead {
    Ipv4HeaderStatus status{Ipv4HeaderStatus::short_header};
    Ipv4Header header;
};

// Reads the fixed header and checks IHL against the bytes present. Total Length is reported
// as declared and not checked here: the outer packet and a quote judge it differently (R7).
[[nodiscard]] Ipv4HeaderRead read_ipv4_header(Bytes bytes) noexcept;

// Decodes the outer IPv4 layer into packet and returns the ICMP message it carries, or
// nullopt when there is none to decode (truncated, not ICMP, wrong family, non-first fragment).
[[nodiscard]] std::optional<IpPayload> decode_outer_ipv4(Bytes l3, const DecodeOptions& options,
                                                         DecodedPacket& packet) noexcept;

}  // namespace icmpgate::decode
