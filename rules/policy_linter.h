#pragma once
// Warnings for policies that load but probably do not do what their author wants: accepted
// deprecated types (RFC 6633, RFC 6918), echo from anywhere without a limit (RFC 1122
// 3.2.2.6 lets a host drop echo floods; a gateway should limit them), bursts too small for
// traceroute (RFC 4443 2.4(f)), unused limiters, rate limits on drop rules and rules that
// can never match. Warnings never make a policy invalid.

#include <span>

#include "rules/compiled_policy.h"
#include "rules/diagnostic_sink.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// `complete`: the document was read without errors, so whole-policy checks (unused rate
// limits) are meaningful. matches[i]: document.rules[i] compiled.
void lint_policy(const PolicyDocument& document, std::span<const CompiledMatch> matches, bool complete,
                 DiagnosticSink& sink);

}  // namespace icmpgate::rules
