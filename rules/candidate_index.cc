#include "rules/candidate_index.h"

#include <algorithm>

namespace icmpgate::rules {

std::span<const RuleIndex> AddressPartition::keyed_rules_for(const AddressKey& key) const noexcept {
    // The last interval starting at or below the key; starts[0] is the zero key, so there is one.
    const auto after = std::upper_bound(starts.begin(), starts.end(), key);
    if (after == starts.begin() || offsets.size() != starts.size() + 1) return {};
    const auto interval = static_cast<std::size_t>(after - starts.begin()) - 1;
    const std::uint32_t first = offsets[interval];
    const std::uint32_t last = offsets[interval + 1];
    if (first > last || last > keyed_rules.size()) return {};
    return std::span<const RuleIndex>(keyed_rules).subspan(first, last - first);
}

}  // namespace icmpgate::rules
