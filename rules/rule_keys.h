#pragma once
// The keys of a rule and how a rule is read.

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "rules/key_reader.h"
#include "rules/policy_document.h"
#include "rules/policy_keys.h"

namespace icmpgate::rules {

[[nodiscard]] std::span<const KeyDescription> rule_keys();

// What reading one rule needs from the rest of the policy.
struct RuleContext {
    const std::vector<std::string>& limiter_names;          // every name in "rate_limits"
    std::vector<std::pair<std::string, std::string>>& ids;  // (id, pointer) of the rules before
};

// Reads a rule (checked to be an object); true when it was read without an error.
[[nodiscard]] bool read_rule(KeyReader& reader, const Value& value, RuleContext& context, RuleDocument& rule);

}  // namespace icmpgate::rules
