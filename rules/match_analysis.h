#pragma once
// Static questions about compiled matches, shared by the compiler, the protection analysis
// and the linter: which (type, code) pairs a rule can match, and whether a rule matches
// those pairs whatever else the packet carries. Cold path.

#include <array>
#include <bitset>
#include <cstdint>

#include "filter/decode/family.h"
#include "rules/compiled_policy.h"

namespace icmpgate::rules {

inline constexpr std::size_t kIcmpValues = 256;

// Row t = the codes of type t that a TypeCodeSet matches.
using TypeCodeMatrix = std::array<std::bitset<kIcmpValues>, kIcmpValues>;

[[nodiscard]] TypeCodeMatrix expand(const TypeCodeSet& set);

// Some code of `type` matches.
[[nodiscard]] bool can_match_type(const TypeCodeSet& set, std::uint8_t type) noexcept;

// True when the match has no condition besides family, type and code that could exclude
// a packet whose payload size lies in [payload_low, payload_high]. `has_quote`: the packets
// in question always carry a decodable quote (well-formed errors), so a bare "embedded": {}
// excludes none of them.
[[nodiscard]] bool is_unconditional(const CompiledMatch& match, std::uint32_t payload_low,
                                    std::uint32_t payload_high, bool has_quote) noexcept;

[[nodiscard]] bool payload_overlaps(const CompiledMatch& match, std::uint32_t low, std::uint32_t high) noexcept;

}  // namespace icmpgate::rules
