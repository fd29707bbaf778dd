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

// A class of messages the analyses ask about: one family, payload sizes in
// [payload_low, payload_high], and whether every message of the class carries a decodable
// quote (well-formed errors do).
struct MessageClass {
    decode::Family family{decode::Family::ipv4};
    std::uint32_t payload_low{0};
    std::uint32_t payload_high{UINT32_MAX};
    bool quoted{false};
};

// What each kind of condition (CompiledMatch::for_each_condition) says about a class:
// admits_all: every message of the class passes it (it cannot exclude one of them);
// admits_some: some message of the class passes it (quoted classes: messages quoting any packet).
[[nodiscard]] bool admits_all(const PrefixList& list, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_some(const PrefixList& list, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_all(const InterfaceSet& set, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_some(const InterfaceSet& set, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_all(const PayloadRange& range, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_some(const PayloadRange& range, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_all(const ProtocolSet& set, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_some(const ProtocolSet& set, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_all(const PortSet& set, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_some(const PortSet& set, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_all(const EmbeddedMatch& embedded, const MessageClass& messages) noexcept;
[[nodiscard]] bool admits_some(const EmbeddedMatch& embedded, const MessageClass& messages) noexcept;

// Every condition of the match besides family, type and code admits every message of the
// class: the rule decides each of them it selects by (family, type, code).
[[nodiscard]] bool is_unconditional(const CompiledMatch& match, const MessageClass& messages) noexcept;

// Every condition of the match besides family, type and code admits some message of the class.
[[nodiscard]] bool can_match_some(const CompiledMatch& match, const MessageClass& messages) noexcept;

}  // namespace icmpgate::rules
