#pragma once
// A policy after JSON validation and name resolution, before compilation: names are still
// names (limiters, anomalies), matches are already resolved into the compiled form, and
// every part remembers its JSON Pointer so later stages (protection analysis, linter) can
// point at it. Built by policy_parser.cc, consumed by policy_compiler.cc.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "filter/decode/anomaly.h"
#include "rules/compiled_policy.h"

namespace icmpgate::rules {

inline constexpr int kPolicyVersion = 1;

struct LimiterDocument {
    LimiterSpec spec;
    std::string pointer;        // "/rate_limits/<name>"
};

struct RuleDocument {
    std::string id;
    std::string pointer;        // "/rules/<index>"
    std::optional<std::uint32_t> sid;
    std::string description;
    CompiledMatch match;
    Verdict verdict{Verdict::drop};
    std::vector<std::string> rate_limits;   // limiter names, in the order given
    bool log{true};
    bool override_protection{false};
};

struct PolicyDocument {
    std::string description;
    Verdict default_verdict{Verdict::drop};
    // Overrides of the anomaly table's defaults; nullopt = table default.
    std::array<std::optional<decode::AnomalyAction>, decode::kAnomalyCount> anomalies{};
    std::vector<LimiterDocument> limiters;  // document order
    std::vector<RuleDocument> rules;        // policy order; only rules that parsed cleanly
};

}  // namespace icmpgate::rules
