#pragma once
// Does one compiled rule match a decoded packet? The hot-path half of a rule: integer and
// bitset compares only, no allocation, no strings from the policy.

#include <limits>

#include "filter/decode/decoded_packet.h"
#include "filter/decode/packet_meta.h"
#include "rules/compiled_policy.h"

namespace icmpgate::rules {

// All keys of the match must hold (AND); within a key, any listed value will do (OR).
// Checked from cheapest to dearest: family, type/code, payload size, source and destination
// prefixes, interfaces, then the quoted packet. A packet without an ICMP header never matches.
// An interface key never matches a packet whose interface is unknown (empty name); an
// "embedded" key never matches a packet without a decoded quote, and a port key never
// matches a quote whose port bytes are missing.
[[nodiscard]] bool rule_matches(const CompiledMatch& match, const decode::DecodedPacket& packet,
                                const decode::PacketMeta& meta) noexcept;

// What the searches below return when no rule matches. A sentinel rather than
// std::optional<RuleIndex>: GCC 12 spills an optional returned in a register and reloads it
// in halves, a store-forwarding stall on every packet (measured: tests/bench/run.sh).
inline constexpr RuleIndex kNoRule = std::numeric_limits<RuleIndex>::max();

// Every candidate of the packet's family and type, in list order: the walk for lists the
// index does not split, and the reference the index is tested against. Inline, like
// first_matching_rule(): the short lists of most policies take this path, which should cost
// no call of its own.
[[nodiscard]] inline RuleIndex first_matching_rule_linear(const CompiledPolicy& policy,
                                                          const decode::DecodedPacket& packet,
                                                          const decode::PacketMeta& meta) noexcept {
    for (const RuleIndex index : policy.candidates[family_index(packet.family)][packet.icmp_type]) {
        if (index >= policy.rules.size()) continue;  // a compiler bug must not read out of bounds
        if (rule_matches(policy.rules[index].match, packet, meta)) return index;
    }
    return kNoRule;
}

// The candidates of one split list that can match the packet: those keyed under its address's
// interval and the unkeyed ones, merged in policy order.
[[nodiscard]] RuleIndex first_matching_rule_in(const AddressPartition& partition, const CompiledPolicy& policy,
                                               const decode::DecodedPacket& packet,
                                               const decode::PacketMeta& meta) noexcept;

// The lowest-index rule that matches the packet (kNoRule when none), walking only the candidates of its family
// and type, and of those, when the policy splits them by address, only the rules whose
// prefixes can hold the packet's address. Same answer as first_matching_rule_linear().
[[nodiscard]] inline RuleIndex first_matching_rule(const CompiledPolicy& policy, const decode::DecodedPacket& packet,
                                                   const decode::PacketMeta& meta) noexcept {
    if (const AddressPartition* partition = policy.candidate_index.find(family_index(packet.family), packet.icmp_type))
        return first_matching_rule_in(*partition, policy, packet, meta);
    return first_matching_rule_linear(policy, packet, meta);
}

// The lowest-index rule after `after` that matches (kNoRule when none): where evaluation goes on
// when the rule at `after` is in monitor mode. Off the common path: only a packet that a monitor
// rule matched walks on.
[[nodiscard]] RuleIndex first_matching_rule_after(const CompiledPolicy& policy, const decode::DecodedPacket& packet,
                                                  const decode::PacketMeta& meta, RuleIndex after) noexcept;

// The pieces, exposed for their own tests (prefix_contains itself is in rules/cidr.h).
[[nodiscard]] bool prefix_list_matches(const PrefixList& list, const decode::IpAddress& address) noexcept;
[[nodiscard]] bool interface_set_matches(const InterfaceSet& set, const decode::InterfaceName& name) noexcept;

}  // namespace icmpgate::rules
