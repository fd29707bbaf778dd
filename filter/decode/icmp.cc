#include "filter/decode/icmp.h"

#include "filter/decode/icmp_types.h"

namespace icmpgate::decode {

namespace {

namespace v4 {
constexpr std::uint8_t kInformationRequest = 15;
constexpr std::uint8_t kInformationReply = 16;
constexpr std::uint8_t kAddressMaskRequest = 17;
constexpr std::uint8_t kAddressMaskReply = 18;
constexpr std::uint8_t kExtendedEchoRequest = 42;
constexpr std::uint8_t kExtendedEchoReply = 43;
constexpr std::size_t kRfc4884WordBytes = 4;  // byte 5 counts 32-bit words
}  // namespace v4

namespace v6 {
constexpr std::uint8_t kExtendedEchoRequest = 160;
constexpr std::uint8_t kExtendedEchoReply = 161;
constexpr std::size_t kRfc4884WordBytes = 8;  // byte 4 counts 64-bit words
}  // namespace v6

constexpr std::size_t kIpv6AddressLength = 16;

bool is_extended_echo(Family family, std::uint8_t type) noexcept {
    if (family == Family::ipv4) return type == v4::kExtendedEchoRequest || type == v4::kExtendedEchoReply;
    return type == v6::kExtendedEchoRequest || type == v6::kExtendedEchoReply;
}

}  // namespace

bool has_echo_fields(Family family, std::uint8_t type) noexcept {
    if (family == Family::ipv6) {
        return type == icmp6::kEchoRequest || type == icmp6::kEchoReply || is_extended_echo(family, type);
    }
    switch (type) {
        case icmp4::kEchoReply:
        case icmp4::kEchoRequest:
        case icmp4::kTimestampRequest:
        case icmp4::kTimestampReply:
        case v4::kInformationRequest:
        case v4::kInformationReply:
        case v4::kAddressMaskRequest:
        case v4::kAddressMaskReply:
        case v4::kExtendedEchoRequest:
        case v4::kExtendedEchoReply:
            return true;
        default:
            return false;
    }
}

bool defines_rfc4884_length(Family family, std::uint8_t type) noexcept {
    if (family == Family::ipv6) return type == icmp6::kDestUnreachable || type == icmp6::kTimeExceeded;
    return type == icmp4::kDestUnreachable || type == icmp4::kTimeExceeded || type == icmp4::kParameterProblem;
}

Echo read_echo(Family family, FixedBytes<kIcmpHeader> header) noexcept {
    Echo echo;
    echo.id = be16<4>(header);
    echo.sequence = is_extended_echo(family, be8<0>(header)) ? be8<6>(header) : be16<6>(header);
    return echo;
}

void read_icmp_header(Family family, FixedBytes<kIcmpHeader> header, Bytes after_header,
                      DecodedPacket& packet) noexcept {
    const std::uint8_t type = be8<0>(header);
    const std::uint8_t code = be8<1>(header);
    packet.has_icmp_header = true;
    packet.icmp_type = type;
    packet.icmp_code = code;
    packet.icmp_checksum = be16<2>(header);

    if (has_echo_fields(family, type)) packet.echo = read_echo(family, header);

    std::size_t rfc4884_length = 0;
    if (family == Family::ipv4) {
        if (type == icmp4::kDestUnreachable && code == icmp4::kCodeFragNeeded) {
            // RFC 1191 4: the next-hop MTU is the low 16 bits of the second word and the high
            // 16 bits MUST be zero; RFC 4884 4.1 has since taken the sixth octet for its length
            // attribute, which leaves the fifth unused. Anything there is not a router's doing.
            packet.mtu = be16<6>(header);
            if (be8<4>(header) != 0) packet.anomalies.set(Anomaly::implausible_mtu);
        }
        if (type == icmp4::kParameterProblem) packet.pointer = be8<4>(header);
        if (type == icmp4::kRedirect) packet.gateway.emplace().assign_v4(header.subspan<4, 4>());
        if (defines_rfc4884_length(family, type)) rfc4884_length = be8<5>(header) * v4::kRfc4884WordBytes;
    } else {
        if (type == icmp6::kPacketTooBig) packet.mtu = be32<4>(header);
        if (type == icmp6::kParameterProblem) packet.pointer = be32<4>(header);
        if (type == icmp6::kRedirect) {
            // RFC 4861 4.5: the target address follows the 4 reserved bytes. A message too
            // short to hold it simply has none (no anomaly: ND validation is the host's job).
            ByteReader reader{after_header};
            if (const auto target = reader.take_fixed<kIpv6AddressLength>())
                packet.gateway.emplace().assign_v6(*target);
        }
        if (defines_rfc4884_length(family, type)) rfc4884_length = be8<4>(header) * v6::kRfc4884WordBytes;
    }
    if (rfc4884_length != 0) packet.rfc4884_length = static_cast<std::uint32_t>(rfc4884_length);
}

}  // namespace icmpgate::decode
