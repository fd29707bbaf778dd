#pragma once
// JSON -> PolicyDocument: checks every key, type and value of a parsed policy, resolves
// ICMP names, address prefixes, ports and interface names, and reports every fault it
// finds (with its JSON Pointer, rule id and offending value) to the sink. Cold path.

#include <nlohmann/json.hpp>

#include "rules/diagnostic_sink.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

// ordered_json keeps members in document order, so diagnostics come out in that order.
using PolicyJson = nlohmann::ordered_json;

// Rules with an error are left out of the result; the sink says whether any fault was found.
[[nodiscard]] PolicyDocument parse_policy_document(const PolicyJson& root, DiagnosticSink& sink);

}  // namespace icmpgate::rules
