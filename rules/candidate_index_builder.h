#pragma once
// Builds the second level of the rule index (rules/candidate_index.h) from the compiled rules
// and the first level. Cold path: runs once per policy load.

#include <array>
#include <cstddef>
#include <vector>

#include "rules/compiled_policy.h"

namespace icmpgate::rules {

struct CandidateIndexLimits {
    // Shorter candidate lists are walked whole: the search would cost more than it saves.
    std::size_t min_candidates{8};
    // Memory bound of one partition: at most this many interval entries per prefix (plus one
    // per candidate). Nested prefixes repeat a rule in every interval inside its prefix; past
    // the bound, the rules with the shortest prefixes are left unkeyed instead.
    std::size_t entries_per_prefix{4};
};

// For each (family, type) with at least limits.min_candidates candidates, the partition by
// source or by destination address whose longest walk (unkeyed rules plus the fullest
// interval) is shortest, if that walk is shorter than the whole list.
[[nodiscard]] CandidateIndex build_candidate_index(const std::vector<CompiledRule>& rules,
                                                   const CandidateLists& candidates,
                                                   const CandidateIndexLimits& limits = {});

}  // namespace icmpgate::rules
