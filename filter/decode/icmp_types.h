#pragma once
// Type numbers the decoder and the engine reason about, and the error/informational split.
// The full name catalogue lives in icmp_catalogue.h.

#include <cstdint>

#include "filter/decode/family.h"

namespace icmpgate::decode {

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::uint8_t kIpProtoIcmpv6 = 58;

namespace icmp4 {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestUnreachable = 3;
inline constexpr std::uint8_t kSourceQuench = 4;
inline constexpr std::uint8_t kRedirect = 5;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;
inline constexpr std::uint8_t kTimestampRequest = 13;
inline constexpr std::uint8_t kTimestampReply = 14;
inline constexpr std::uint8_t kCodeFragNeeded = 4;
}  // namespace icmp4

namespace icmp6 {
inline constexpr std::uint8_t kDestUnreachable = 1;
inline constexpr std::uint8_t kPacketTooBig = 2;
inline constexpr std::uint8_t kTimeExceeded = 3;
inline constexpr std::uint8_t kParameterProblem = 4;
inline constexpr std::uint8_t kEchoRequest = 128;
inline constexpr std::uint8_t kEchoReply = 129;
inline constexpr std::uint8_t kRedirect = 137;
inline constexpr std::uint8_t kCodeUnrecognizedOption = 2;  // Parameter Problem code 2
}  // namespace icmp6

// ICMPv4 error messages (RFC 792, RFC 1122 3.2.2); ICMPv6 types 0-127 (RFC 4443 2.1).
[[nodiscard]] constexpr bool is_error_type(Family family, std::uint8_t type) noexcept {
    if (family == Family::ipv6) return type < 128;
    return type == icmp4::kDestUnreachable || type == icmp4::kSourceQuench || type == icmp4::kRedirect ||
           type == icmp4::kTimeExceeded || type == icmp4::kParameterProblem;
}

// What an error may not quote (RFC 1122 3.2.2 (1); RFC 4443 2.4(e.1, e.2): a v6 Redirect counts too).
[[nodiscard]] constexpr bool must_not_be_quoted_by_error(Family family, std::uint8_t type) noexcept {
    return is_error_type(family, type) || (family == Family::ipv6 && type == icmp6::kRedirect);
}

}  // namespace icmpgate::decode
