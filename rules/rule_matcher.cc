#include "rules/rule_matcher.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "rules/cidr.h"

namespace icmpgate::rules {

namespace {

[[nodiscard]] bool port_set_matches(const PortSet& set, const std::optional<std::uint16_t>& port) noexcept {
    if (set.any) return true;
    if (!port) return false;  // the quote was cut before its ports: they cannot be checked
    return std::any_of(set.ranges.begin(), set.ranges.end(),
                       [p = *port](const PortRange& r) { return r.first <= p && p <= r.last; });
}

[[nodiscard]] bool embedded_matches(const EmbeddedMatch& match, const decode::DecodedPacket& packet) noexcept {
    if (!match.present) return true;
    if (!packet.quoted) return false;
    const decode::QuotedPacket& quote = *packet.quoted;
    if (!match.protocol.any && !match.protocol.protocols.test(quote.protocol)) return false;
    if (!prefix_list_matches(match.source, quote.src)) return false;
    if (!prefix_list_matches(match.destination, quote.dst)) return false;
    return port_set_matches(match.source_port, quote.src_port) &&
           port_set_matches(match.destination_port, quote.dst_port);
}

}  // namespace

bool prefix_list_matches(const PrefixList& list, const decode::IpAddress& address) noexcept {
    if (list.any) return true;
    const std::vector<Prefix>& prefixes = address.family == decode::Family::ipv4 ? list.v4 : list.v6;
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&address](const Prefix& p) { return prefix_contains(p, address); });
}

bool interface_set_matches(const InterfaceSet& set, const decode::InterfaceName& name) noexcept {
    if (set.any) return true;
    if (name.empty()) return false;
    const std::string_view actual = name.view();
    return std::any_of(set.patterns.begin(), set.patterns.end(), [actual](const InterfacePattern& pattern) {
        const std::string_view wanted = pattern.name.view();
        return pattern.prefix ? actual.substr(0, wanted.size()) == wanted : actual == wanted;
    });
}

bool rule_matches(const CompiledMatch& match, const decode::DecodedPacket& packet,
                  const decode::PacketMeta& meta) noexcept {
    if (!packet.has_icmp_header) return false;
    const std::size_t family = family_index(packet.family);
    if (!match.families[family]) return false;
    if (!match.type_code[family].matches(packet.icmp_type, packet.icmp_code)) return false;
    if (packet.payload_size < match.payload.min || packet.payload_size > match.payload.max) return false;
    if (!prefix_list_matches(match.source, packet.src)) return false;
    if (!prefix_list_matches(match.destination, packet.dst)) return false;
    if (!interface_set_matches(match.in_interface, meta.in_interface)) return false;
    if (!interface_set_matches(match.out_interface, meta.out_interface)) return false;
    return embedded_matches(match.embedded, packet);
}

namespace {

// The merge walk of a split list; with kAfter, only rules after `after` (the walk past a monitor
// rule), otherwise every candidate (the compare is compiled out).
template <bool kAfter>
[[nodiscard]] RuleIndex first_in_partition(const AddressPartition& partition, const CompiledPolicy& policy,
                                           const decode::DecodedPacket& packet, const decode::PacketMeta& meta,
                                           RuleIndex after) noexcept {
    const decode::IpAddress& address = partition.field == IndexedField::destination ? packet.dst : packet.src;
    // Keys hold one family; an address of the other family (never from the decoder) has no interval.
    if (address.family != packet.family)
        return kAfter ? first_matching_rule_after(policy, packet, meta, after)
                      : first_matching_rule_linear(policy, packet, meta);

    // Every candidate that can match is keyed under the address's interval or unkeyed: merge
    // the two lists, both in policy order, so the first match is the lowest index.
    const std::span<const RuleIndex> keyed = partition.keyed_rules_for(address_key(address));
    const std::vector<RuleIndex>& unkeyed = partition.unkeyed_rules;
    std::size_t k = 0;
    std::size_t u = 0;
    while (k < keyed.size() || u < unkeyed.size()) {
        const bool take_keyed = u == unkeyed.size() || (k < keyed.size() && keyed[k] < unkeyed[u]);
        const RuleIndex index = take_keyed ? keyed[k++] : unkeyed[u++];
        if (index >= policy.rules.size()) continue;
        if (kAfter && index <= after) continue;
        if (rule_matches(policy.rules[index].match, packet, meta)) return index;
    }
    return kNoRule;
}

}  // namespace

RuleIndex first_matching_rule_in(const AddressPartition& partition, const CompiledPolicy& policy,
                                 const decode::DecodedPacket& packet, const decode::PacketMeta& meta) noexcept {
    return first_in_partition<false>(partition, policy, packet, meta, 0);
}

RuleIndex first_matching_rule_after(const CompiledPolicy& policy, const decode::DecodedPacket& packet,
                                    const decode::PacketMeta& meta, RuleIndex after) noexcept {
    if (const AddressPartition* partition = policy.candidate_index.find(family_index(packet.family), packet.icmp_type))
        return first_in_partition<true>(*partition, policy, packet, meta, after);
    for (const RuleIndex index : policy.candidates[family_index(packet.family)][packet.icmp_type]) {
        if (index >= policy.rules.size() || index <= after) continue;
        if (rule_matches(policy.rules[index].match, packet, meta)) return index;
    }
    return kNoRule;
}

}  // namespace icmpgate::rules
