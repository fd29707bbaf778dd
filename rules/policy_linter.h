#pragma once
// Warnings for policies that load but probably do not do what their author wants
// (REFERENCE.md 1.12: R14, R16, R20), plus unused limiters, rate limits on drop rules and
// rules that can never match. Warnings never make a policy invalid.

#include "rules/diagnostic_sink.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// `complete`: the document parsed without errors, so whole-policy checks (unused rate
// limits) are meaningful.
void lint_policy(const PolicyDocument& document, bool complete, DiagnosticSink& sink);

}  // namespace icmpgate::rules
