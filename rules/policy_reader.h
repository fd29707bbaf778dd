#pragma once
// JSON -> PolicyDocument: reads a parsed policy as its key tables describe it
// (rules/policy_keys.h; the tables in rules/*_keys.cc), resolving ICMP names, protocols,
// prefixes, ports and interface names, and reports every fault it finds (JSON Pointer, rule
// id, offending value) to the sink. Checks nothing across rules but unique rule ids and the
// rate limit names rules use. Cold path.

#include <span>

#include "rules/diagnostic_sink.h"
#include "rules/policy_document.h"
#include "rules/policy_json.h"
#include "rules/policy_keys.h"

namespace icmpgate::rules {

// Rules and rate limits with an error are left out of the result; the sink says whether any
// fault was found.
[[nodiscard]] PolicyDocument read_policy_document(const PolicyJson& root, DiagnosticSink& sink);

// The top-level keys; every other object of a policy is reached from them through
// ValueSpec::object and ValueSpec::map.
[[nodiscard]] std::span<const KeyDescription> policy_keys();

}  // namespace icmpgate::rules
