#pragma once
// Does one compiled rule match a decoded packet? The hot-path half of a rule: integer and
// bitset compares only, no allocation, no strings from the policy.

#include <optional>

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

// The lowest-index rule that matches the packet, walking only the candidates of its family
// and type, and of those, when the policy splits them by address, only the rules whose
// prefixes can hold the packet's address. Same answer as first_matching_rule_linear().
[[nodiscard]] std::optional<RuleIndex> first_matching_rule(const CompiledPolicy& policy,
                                                           const decode::DecodedPacket& packet,
                                                           const decode::PacketMeta& meta) noexcept;

// Every candidate of the packet's family and type, in list order: the reference the index
// is tested against, and the walk for lists the index does not split.
[[nodiscard]] std::optional<RuleIndex> first_matching_rule_linear(const CompiledPolicy& policy,
                                                                  const decode::DecodedPacket& packet,
                                                                  const decode::PacketMeta& meta) noexcept;

// The pieces, exposed for their own tests (prefix_contains itself is in rules/cidr.h).
[[nodiscard]] bool prefix_list_matches(const PrefixList& list, const decode::IpAddress& address) noexcept;
[[nodiscard]] bool interface_set_matches(const InterfaceSet& set, const decode::InterfaceName& name) noexcept;

}  // namespace icmpgate::rules
