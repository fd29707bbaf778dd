#include "rules/policy_compiler.h"

#include <algorithm>
#include <stdexcept>

#include "rules/candidate_index_builder.h"
#include "rules/match_analysis.h"
#include "rules/match_compiler.h"
#include "rules/set_bits.h"
#include "rules/signature_id.h"

namespace icmpgate::rules {

CompiledPolicy compile_policy(const PolicyDocument& document, std::string digest, std::string source_name) {
    std::vector<CompiledMatch> matches;
    matches.reserve(document.rules.size());
    for (const RuleDocument& rule : document.rules) matches.push_back(compile_match(rule.match));
    return compile_policy(document, std::move(matches), std::move(digest), std::move(source_name));
}

CompiledPolicy compile_policy(const PolicyDocument& document, std::vector<CompiledMatch> matches, std::string digest,
                              std::string source_name) {
    if (matches.size() != document.rules.size()) throw std::logic_error("compile_policy: one match per rule");
    CompiledPolicy policy;
    policy.default_verdict = document.default_verdict;
    for (std::size_t i = 0; i < decode::kAnomalyCount; ++i)
        policy.anomaly_actions[i] = document.anomalies[i].value_or(decode::kAnomalies[i].default_action);

    for (const LimiterDocument& limiter : document.limiters) policy.limiters.push_back(limiter.spec);
    std::sort(policy.limiters.begin(), policy.limiters.end(),
              [](const LimiterSpec& a, const LimiterSpec& b) { return a.name < b.name; });
    auto limiter_index = [&](const std::string& name) -> LimiterIndex {
        const auto it = std::lower_bound(policy.limiters.begin(), policy.limiters.end(), name,
                                         [](const LimiterSpec& spec, const std::string& n) { return spec.name < n; });
        if (it == policy.limiters.end() || it->name != name)
            throw std::logic_error("compile_policy: unknown rate limit '" + name + "'");
        return static_cast<LimiterIndex>(it - policy.limiters.begin());
    };

    policy.rules.reserve(document.rules.size());
    for (std::size_t r = 0; r < document.rules.size(); ++r) {
        const RuleDocument& doc_rule = document.rules[r];
        CompiledRule rule;
        rule.id = doc_rule.id;
        rule.sid = doc_rule.sid;
        rule.signature_id = signature_id_of(doc_rule.sid, doc_rule.id);
        rule.match = std::move(matches[r]);
        rule.verdict = doc_rule.verdict;
        for (const std::string& name : doc_rule.rate_limits) rule.limiters.push_back(limiter_index(name));
        rule.log = doc_rule.log;
        rule.override_protection = doc_rule.override_protection;
        rule.mode = doc_rule.mode;
        policy.rules.push_back(std::move(rule));
    }

    build_rule_index(policy);
    policy.digest = std::move(digest);
    policy.source_name = std::move(source_name);
    policy.names_are_plain = is_plain_text(policy.digest) &&
                             std::all_of(policy.rules.begin(), policy.rules.end(),
                                         [](const CompiledRule& r) { return is_plain_text(r.id); }) &&
                             std::all_of(policy.limiters.begin(), policy.limiters.end(),
                                         [](const LimiterSpec& l) { return is_plain_text(l.name); });
    return policy;
}

void build_rule_index(CompiledPolicy& policy) {
    // Rule by rule, so each list comes out in policy order; only the types a rule can match
    // are visited.
    for (std::size_t r = 0; r < policy.rules.size(); ++r) {
        const CompiledMatch& match = policy.rules[r].match;
        for (std::size_t fi = 0; fi < policy.candidates.size(); ++fi) {
            if (!match.families[fi]) continue;
            for_each_set_bit(matched_types(match.type_code[fi]), [&](std::size_t type) {
                policy.candidates[fi][type].push_back(static_cast<RuleIndex>(r));
            });
        }
    }
    policy.candidate_index = build_candidate_index(policy.rules, policy.candidates);
}

}  // namespace icmpgate::rules
