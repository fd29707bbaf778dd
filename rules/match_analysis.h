#pragma once
// Static questions about compiled matches, shared by the compiler, the protection analysis
// and the linter: which (type, code) pairs a rule can match, and whether a rule matches
// those pairs whatever else the packet carries. Cold path, but a policy load asks them for
// every rule (and the linter for every pair of rules), so they work on whole bitsets and the
// short `restricted` lists rather than on all 256 x 256 pairs.

#include <array>
#include <bitset>
#include <cstdint>

#include "filter/decode/family.h"
#include "rules/compiled_policy.h"

namespace icmpgate::rules {

inline constexpr std::size_t kIcmpValues = 256;

// Row t = the codes of type t that a TypeCodeSet matches.
using TypeCodeMatrix = std::array<std::bitset<kIcmpValues>, kIcmpValues>;

// Every (type, code) pair of `set`: the definition the queries below answer without
// building it (8 KiB and 256 row operations per call).
[[nodiscard]] TypeCodeMatrix expand(const TypeCodeSet& set);

// The codes of `type` that `set` matches: expand(set)[type].
[[nodiscard]] std::bitset<kIcmpValues> codes_of_type(const TypeCodeSet& set, std::uint8_t type) noexcept;

// The types of which `set` matches at least one code.
[[nodiscard]] std::bitset<kIcmpValues> matched_types(const TypeCodeSet& set) noexcept;

// Some code of `type` matches.
[[nodiscard]] bool can_match_type(const TypeCodeSet& set, std::uint8_t type) noexcept;

// Every (type, code) pair `inner` matches, `outer` matches too.
[[nodiscard]] bool is_subset(const TypeCodeSet& inner, const TypeCodeSet& outer) noexcept;

// True when the match has no condition besides family, type and code that could exclude
// a packet whose payload size lies in [payload_low, payload_high]. `has_quote`: the packets
// in question always carry a decodable quote (well-formed errors), so a bare "embedded": {}
// excludes none of them.
[[nodiscard]] bool is_unconditional(const CompiledMatch& match, std::uint32_t payload_low,
                                    std::uint32_t payload_high, bool has_quote) noexcept;

[[nodiscard]] bool payload_overlaps(const CompiledMatch& match, std::uint32_t low, std::uint32_t high) noexcept;

}  // namespace icmpgate::rules
