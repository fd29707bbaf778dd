#pragma once
// The second level of the compiled policy's rule index. The first level lists, per family
// and ICMP type, the rules that can match (CompiledPolicy::candidates); for long lists the
// compiler also splits that list by the packet's source or destination address, so a packet
// walks only the rules with a prefix that holds its address, plus the rules with no prefix
// on that field. Built by rules/candidate_index_builder.cc; read-only afterwards; the lookup
// is a binary search over flat arrays, without allocation.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "rules/address_key.h"

namespace icmpgate::rules {

using RuleIndex = std::uint32_t;

enum class IndexedField : std::uint8_t { source, destination };

// One (family, type) candidate list split by one address field. The address space is cut
// into intervals at every prefix boundary, so each prefix covers whole intervals; each
// interval lists, in policy order, the rules with a prefix covering it.
struct AddressPartition {
    IndexedField field{IndexedField::source};
    std::vector<AddressKey> starts;      // ascending; starts[0] is the zero key
    std::vector<std::uint32_t> offsets;  // interval i's rules: keyed_rules[offsets[i], offsets[i + 1])
    std::vector<RuleIndex> keyed_rules;
    // Candidates that can match whatever the field's address is (no prefix on the field, or a
    // prefix short enough that listing it in every interval would break the memory bound), in
    // policy order. Candidates that can never match the family (prefixes of the other family
    // only) are in neither list.
    std::vector<RuleIndex> unkeyed_rules;

    // The keyed rules whose prefixes may hold an address with this key, in policy order.
    [[nodiscard]] std::span<const RuleIndex> keyed_rules_for(const AddressKey& key) const noexcept;
};

struct CandidateIndex {
    // 0: walk CompiledPolicy::candidates[family][type] whole (short lists, or a policy built
    // by hand); n: partitions[n - 1]. Lists with equal candidates share one partition.
    std::array<std::array<std::uint32_t, 256>, 2> partition_of{};
    std::vector<AddressPartition> partitions;

    [[nodiscard]] const AddressPartition* find(std::size_t family, std::uint8_t type) const noexcept {
        const std::uint32_t slot = partition_of[family][type];
        return slot == 0 || slot > partitions.size() ? nullptr : &partitions[slot - 1];
    }
};

}  // namespace icmpgate::rules
