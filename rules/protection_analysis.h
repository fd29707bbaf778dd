#pragma once
// Static protection check (issue 2, "Protected"; REFERENCE.md R19): a rule that could drop
// a well-formed Fragmentation Needed, Packet Too Big or Time Exceeded message (a drop
// verdict, or a rate limit that can run dry) makes the policy invalid unless it says
// "override_protection": true. The check is exact over what a rule's match can see of
// such a message: family, type, code, address families and payload size. Earlier rules
// that always decide those messages first (no rate limit, no other condition) hide them
// from later rules.

#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "filter/decode/family.h"
#include "rules/diagnostic_sink.h"
#include "rules/match_analysis.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// Payload sizes (bytes after the 8-byte ICMP header) of a well-formed protected message:
// at least a minimal quoted IP header plus 8 bytes, at most what fits in one IP packet.
inline constexpr std::uint32_t kProtectedPayloadMinV4 = 20 + 8;
inline constexpr std::uint32_t kProtectedPayloadMaxV4 = 65535 - 20 - 8;
inline constexpr std::uint32_t kProtectedPayloadMinV6 = 40 + 8;
inline constexpr std::uint32_t kProtectedPayloadMaxV6 = 65535 - 8;

// The protected (type, codes) of one family that one rule can match.
struct ProtectedExposure {
    decode::Family family{decode::Family::ipv4};
    std::uint8_t type{0};
    std::bitset<kIcmpValues> codes;
};

// What `match` can match of the protected set, taken alone.
[[nodiscard]] std::vector<ProtectedExposure> protected_exposure(const CompiledMatch& match);

// "Fragmentation Needed (ICMPv4 3/4), Time Exceeded (ICMPv4 11) and Packet Too Big (ICMPv6 2)"
[[nodiscard]] std::string describe_exposure(const std::vector<ProtectedExposure>& exposure);

// Reports one error per unprotected rule that could drop protected messages and one
// warning per "override_protection" that has no effect.
void analyse_protection(const PolicyDocument& document, DiagnosticSink& sink);

}  // namespace icmpgate::rules
