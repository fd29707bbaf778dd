#pragma once
// The PMTUD / traceroute protection (icmpgate's contract, after RFC 1191, RFC 8201 and
// RFC 4890 4.3.1): Fragmentation Needed (v4 3/4), Packet Too Big (v6 2) and Time Exceeded
// (v4 11, v6 3) are accepted when no rule matched, whatever the default verdict.

#include <cstdint>

#include "filter/decode/family.h"
#include "filter/decode/icmp_types.h"

namespace icmpgate::rules {

[[nodiscard]] constexpr bool is_protected(decode::Family family, std::uint8_t type, std::uint8_t code) noexcept {
    using namespace decode;
    if (family == Family::ipv4)
        return (type == icmp4::kDestUnreachable && code == icmp4::kCodeFragNeeded) || type == icmp4::kTimeExceeded;
    return type == icmp6::kPacketTooBig || type == icmp6::kTimeExceeded;
}

}  // namespace icmpgate::rules
