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
inline constexpr std::size_t kIpv4HeaderUnit = 4;  // IHL counts 32-bit words
inline constexpr std::size_t kIpv4MinIhl = kIpv4MinHeader / kIpv4HeaderUnit;
inline constexpr std::size_t kFragmentOffsetUnit = 8;  // both families count fragment offsets in 8-byte units

// The fixed header's fields, read where they lie: nothing is copied, so the addresses go
// straight from the packet into the IpAddress that keeps them (IpAddress::assign_v4).
class Ipv4Header {
public:
    constexpr explicit Ipv4Header(FixedBytes<kIpv4MinHeader> bytes) noexcept : h_{bytes} {}
    // IHL * 4 (meaningful only when the header reads ok)
    [[nodiscard]] constexpr std::size_t header_length() const noexcept { return ihl() * kIpv4HeaderUnit; }
    [[nodiscard]] constexpr std::size_t ihl() const noexcept { return be8<0>(h_) & kIhlMask; }
    [[nodiscard]] constexpr std::uint16_t total_length() const noexcept { return be16<2>(h_); }
    [[nodiscard]] constexpr bool dont_fragment() const noexcept { return (be16<6>(h_) & kDontFragmentBit) != 0; }
    [[nodiscard]] constexpr bool more_fragments() const noexcept { return (be16<6>(h_) & kMoreFragmentsBit) != 0; }
    // 8-byte units
    [[nodiscard]] constexpr std::uint16_t fragment_offset() const noexcept {
        return static_cast<std::uint16_t>(be16<6>(h_) & kFragmentOffsetMask);
    }
    [[nodiscard]] constexpr bool is_fragment() const noexcept { return more_fragments() || fragment_offset() != 0; }
    [[nodiscard]] constexpr std::uint8_t ttl() const noexcept { return be8<8>(h_); }
    [[nodiscard]] constexpr std::uint8_t protocol() const noexcept { return be8<9>(h_); }
    [[nodiscard]] constexpr FixedBytes<4> src() const noexcept { return h_.subspan<12, 4>(); }
    [[nodiscard]] constexpr FixedBytes<4> dst() const noexcept { return h_.subspan<16, 4>(); }

private:
    static constexpr std::uint8_t kIhlMask = 0x0F;
    static constexpr std::uint16_t kDontFragmentBit = 0x4000;
    static constexpr std::uint16_t kMoreFragmentsBit = 0x2000;
    static constexpr std::uint16_t kFragmentOffsetMask = 0x1FFF;
    FixedBytes<kIpv4MinHeader> h_;
};

enum class Ipv4HeaderStatus : std::uint8_t {
    ok,            // IHL >= 5 and IHL * 4 bytes present (options included)
    short_header,  // fewer than 20 bytes: no field is known
    bad_ihl,       // IHL < 5 (the fixed fields were read)
    options_cut,   // IHL * 4 exceeds the bytes present (the fixed fields were read)
};

struct Ipv4HeaderRead {
    Ipv4HeaderStatus status{Ipv4HeaderStatus::short_header};
    std::optional<Ipv4Header> header;  // the fixed fields: present unless short_header
};

// Reads the fixed header and checks IHL against the bytes present. Total Length is reported
// as declared and not checked here: the outer packet and a quote judge it differently (a quote
// is cut by design: RFC 792, RFC 1812 4.3.2.3, RFC 4443 2.4(c)).
[[nodiscard]] constexpr Ipv4HeaderRead read_ipv4_header(Bytes bytes) noexcept {
    const auto fixed = ByteReader{bytes}.peek_fixed<kIpv4MinHeader>();
    if (!fixed) return {};
    const Ipv4Header header{*fixed};
    if (header.ihl() < kIpv4MinIhl) return {Ipv4HeaderStatus::bad_ihl, header};
    if (header.header_length() > bytes.size()) return {Ipv4HeaderStatus::options_cut, header};
    return {Ipv4HeaderStatus::ok, header};
}

// Decodes the outer IPv4 layer into packet and returns the ICMP message it carries, or
// nullopt when there is none to decode (truncated, not ICMP, wrong family, non-first fragment).
[[nodiscard]] std::optional<IpPayload> decode_outer_ipv4(Bytes l3, const DecodeOptions& options,
                                                         DecodedPacket& packet) noexcept;

}  // namespace icmpgate::decode
