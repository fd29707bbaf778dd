#include "rules/candidate_index_builder.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "rules/cidr.h"

namespace icmpgate::rules {

namespace {

constexpr unsigned kKeyBits = 128;
constexpr unsigned kWordBits = 64;

// The first key past the prefix, or nullopt when the prefix runs to the top of the key space.
[[nodiscard]] std::optional<AddressKey> key_after(const Prefix& prefix) {
    if (prefix.length == 0) return std::nullopt;
    AddressKey key = address_key(mask_address(prefix.address, prefix.length));
    const unsigned step_bit = kKeyBits - prefix.length;  // add 2^step_bit
    if (step_bit >= kWordBits) {
        const std::uint64_t before = key.high;
        key.high += std::uint64_t{1} << (step_bit - kWordBits);
        if (key.high < before) return std::nullopt;
        return key;
    }
    const std::uint64_t before = key.low;
    key.low += std::uint64_t{1} << step_bit;
    if (key.low < before && ++key.high == 0) return std::nullopt;
    return key;
}

[[nodiscard]] const PrefixList& field_of(const CompiledMatch& match, IndexedField field) noexcept {
    return field == IndexedField::source ? match.source : match.destination;
}

[[nodiscard]] const std::vector<Prefix>& of_family(const PrefixList& list, std::size_t family) noexcept {
    return family == family_index(decode::Family::ipv4) ? list.v4 : list.v6;
}

struct Candidate {
    RuleIndex rule;
    const std::vector<Prefix>* prefixes;  // of the indexed field and family; non-empty
};

struct Split {
    std::vector<Candidate> keyed;
    std::vector<RuleIndex> unkeyed;
    std::size_t prefix_count{0};
};

// Rules with a prefix shorter than min_length go unkeyed, as do rules without a prefix on the
// field. Rules whose field lists only prefixes of the other family can never match: dropped.
[[nodiscard]] Split split_candidates(const std::vector<CompiledRule>& rules, const std::vector<RuleIndex>& candidates,
                                     std::size_t family, IndexedField field, unsigned min_length) {
    Split split;
    for (const RuleIndex index : candidates) {
        const PrefixList& list = field_of(rules[index].match, field);
        if (list.any) {
            split.unkeyed.push_back(index);
            continue;
        }
        const std::vector<Prefix>& prefixes = of_family(list, family);
        if (prefixes.empty()) continue;
        const bool short_prefix = std::any_of(prefixes.begin(), prefixes.end(),
                                              [min_length](const Prefix& p) { return p.length < min_length; });
        if (short_prefix) {
            split.unkeyed.push_back(index);
            continue;
        }
        split.keyed.push_back({index, &prefixes});
        split.prefix_count += prefixes.size();
    }
    return split;
}

// The partition of `split`, or nullopt when its interval entries would exceed max_entries.
[[nodiscard]] std::optional<AddressPartition> partition(const Split& split, IndexedField field,
                                                        std::size_t max_entries) {
    AddressPartition result;
    result.field = field;
    result.unkeyed_rules = split.unkeyed;

    std::vector<AddressKey> bounds{AddressKey{}};
    for (const Candidate& c : split.keyed) {
        for (const Prefix& p : *c.prefixes) {
            bounds.push_back(address_key(mask_address(p.address, p.length)));
            if (const auto after = key_after(p)) bounds.push_back(*after);
        }
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    auto position = [&bounds](const AddressKey& key) {
        return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), key) - bounds.begin());
    };

    // Candidates come in policy order, so every interval's list is built in policy order.
    std::vector<std::vector<RuleIndex>> lists(bounds.size());
    std::size_t entries = 0;
    for (const Candidate& c : split.keyed) {
        for (const Prefix& p : *c.prefixes) {
            const std::size_t first = position(address_key(mask_address(p.address, p.length)));
            const auto after = key_after(p);
            const std::size_t end = after ? position(*after) : bounds.size();
            for (std::size_t i = first; i < end; ++i) {
                if (!lists[i].empty() && lists[i].back() == c.rule) continue;  // overlapping prefixes of one rule
                lists[i].push_back(c.rule);
                if (++entries > max_entries) return std::nullopt;
            }
        }
    }

    // Neighbouring intervals covered by the same rules become one.
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (i > 0 && lists[i] == lists[i - 1]) continue;
        result.starts.push_back(bounds[i]);
        result.offsets.push_back(static_cast<std::uint32_t>(result.keyed_rules.size()));
        result.keyed_rules.insert(result.keyed_rules.end(), lists[i].begin(), lists[i].end());
    }
    result.offsets.push_back(static_cast<std::uint32_t>(result.keyed_rules.size()));
    return result;
}

// The most candidates a packet can walk with this partition.
[[nodiscard]] std::size_t longest_walk(const AddressPartition& p) noexcept {
    std::size_t longest = 0;
    for (std::size_t i = 0; i + 1 < p.offsets.size(); ++i)
        longest = std::max<std::size_t>(longest, p.offsets[i + 1] - p.offsets[i]);
    return p.unkeyed_rules.size() + longest;
}

// Partition by one field within the memory bound: first with every prefix keyed, then leaving
// the rules with the shortest prefixes unkeyed, one prefix length at a time.
[[nodiscard]] AddressPartition partition_by(const std::vector<CompiledRule>& rules,
                                            const std::vector<RuleIndex>& candidates, std::size_t family,
                                            IndexedField field, const CandidateIndexLimits& limits) {
    unsigned min_length = 0;
    for (;;) {
        const Split split = split_candidates(rules, candidates, family, field, min_length);
        const std::size_t max_entries = limits.entries_per_prefix * split.prefix_count + candidates.size();
        if (auto result = partition(split, field, max_entries)) return std::move(*result);
        // Some keyed prefix exists (else there would be no entries): raise the bar past the shortest.
        unsigned shortest = std::numeric_limits<unsigned>::max();
        for (const Candidate& c : split.keyed)
            for (const Prefix& p : *c.prefixes) shortest = std::min<unsigned>(shortest, p.length);
        min_length = shortest + 1;
    }
}

}  // namespace

CandidateIndex build_candidate_index(const std::vector<CompiledRule>& rules, const CandidateLists& candidates,
                                     const CandidateIndexLimits& limits) {
    CandidateIndex index;
    // Lists with the same candidates (rules matching many types) share one partition.
    std::map<std::pair<std::size_t, std::vector<RuleIndex>>, std::uint32_t> built;
    for (std::size_t family = 0; family < candidates.size(); ++family) {
        for (std::size_t type = 0; type < candidates[family].size(); ++type) {
            const std::vector<RuleIndex>& list = candidates[family][type];
            if (list.size() < limits.min_candidates || list.size() < 2) continue;
            const auto known = built.find({family, list});
            if (known != built.end()) {
                index.partition_of[family][type] = known->second;
                continue;
            }
            AddressPartition by_source = partition_by(rules, list, family, IndexedField::source, limits);
            AddressPartition by_destination = partition_by(rules, list, family, IndexedField::destination, limits);
            const std::size_t source_walk = longest_walk(by_source);
            const std::size_t destination_walk = longest_walk(by_destination);
            std::uint32_t slot = 0;
            if (std::min(source_walk, destination_walk) < list.size()) {
                index.partitions.push_back(destination_walk < source_walk ? std::move(by_destination)
                                                                          : std::move(by_source));
                slot = static_cast<std::uint32_t>(index.partitions.size());
            }
            built.emplace(std::make_pair(family, list), slot);
            index.partition_of[family][type] = slot;
        }
    }
    return index;
}

}  // namespace icmpgate::rules
