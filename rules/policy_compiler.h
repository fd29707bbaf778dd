#pragma once
// PolicyDocument -> CompiledPolicy: anomaly actions, limiters sorted by name and referred
// to by index, rules in policy order with their matches compiled (rules/match_compiler.h),
// the per-family per-type candidate lists the matcher walks instead of every rule, and their
// split by address (rules/candidate_index.h). Cold path; the result is read-only afterwards.
// Compiling cannot fail on a document the reader produced: every fault is the reader's to find.

#include <string>
#include <vector>

#include "rules/compiled_policy.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// Every limiter a rule names must exist in the document (the reader guarantees it).
[[nodiscard]] CompiledPolicy compile_policy(const PolicyDocument& document, std::string digest,
                                            std::string source_name);
// The same with the rules' matches already compiled (matches[i]: compile_match of rule i).
[[nodiscard]] CompiledPolicy compile_policy(const PolicyDocument& document, std::vector<CompiledMatch> matches,
                                            std::string digest, std::string source_name);

// Fills policy.candidates and policy.candidate_index from policy.rules.
void build_rule_index(CompiledPolicy& policy);

}  // namespace icmpgate::rules
