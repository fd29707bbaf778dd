#pragma once
// Static protection check: path MTU discovery and traceroute break silently when
// Fragmentation Needed, Packet Too Big or Time Exceeded are dropped (RFC 1191, RFC 8201,
// RFC 4890 4.3.1), so a rule that could drop a well-formed one (a drop verdict, or a rate
// limit that can run dry) makes the policy invalid unless it says "override_protection":
// true. The check is exact over what a rule's match can see of such a message: family,
// type, code, and every further condition through CompiledMatch::for_each_condition (address
// families, payload size). Earlier rules that always decide those messages first (no rate
// limit, no condition that excludes one of them) hide them from later rules.

#include <bitset>
#include <cstdint>
#include <span>
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
// warning per "override_protection" that has no effect. matches[i]: document.rules[i] compiled.
void analyse_protection(const PolicyDocument& document, std::span<const CompiledMatch> matches, DiagnosticSink& sink);

}  // namespace icmpgate::rules
