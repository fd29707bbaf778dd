#pragma once
// What a policy's rules in monitor mode may not do (docs/policy.md, "Monitor mode"). A monitor
// rule that matches takes tokens from its rate limits as it would if enforced, so that its
// would-be rate-limit drops are the ones enforcing it would give; a limiter it shares with an
// enforced rule would then lose tokens to it and change that rule's verdicts. So a limiter is
// used by monitor rules only or by enforced rules only.

namespace icmpgate::rules {

class DiagnosticSink;
struct PolicyDocument;

// An error at each monitor rule's "rate_limit" naming a limiter an enforced rule also uses.
void check_monitor_rule_limiters(const PolicyDocument& document, DiagnosticSink& sink);

}  // namespace icmpgate::rules
