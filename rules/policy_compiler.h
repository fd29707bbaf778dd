#pragma once
// PolicyDocument -> CompiledPolicy: anomaly actions, limiters sorted by name and referred
// to by index, rules in policy order, the per-family per-type candidate lists the matcher
// walks instead of every rule, and their split by address (rules/candidate_index.h).
// Cold path; the result is read-only afterwards.

#include <string>

#include "rules/compiled_policy.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// Every limiter a rule names must exist in the document (the parser guarantees it).
[[nodiscard]] CompiledPolicy compile_policy(const PolicyDocument& document, std::string digest,
                                            std::string source_name);

}  // namespace icmpgate::rules
