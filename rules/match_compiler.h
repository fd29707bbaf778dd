#pragma once
// MatchDocument -> CompiledMatch: the families a rule can match, its (type, code) pairs per
// family as bitsets (docs/policy.md, "Name resolution"), prefixes split by family, protocol
// numbers as a bitset. Cold path; pure.

#include <bitset>
#include <vector>

#include "rules/compiled_policy.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// A family the rule's "family" leaves out, or in which its names resolve to nothing, or of
// which one of its address lists has no prefix, is off in the result's `families`.
[[nodiscard]] CompiledMatch compile_match(const MatchDocument& match);

// The types a "type" list names in one family (numbers stand for the rule's one family).
[[nodiscard]] std::bitset<256> types_named(const std::vector<IcmpValue>& types, decode::Family family);

}  // namespace icmpgate::rules
