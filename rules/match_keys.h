#pragma once
// The keys of a rule's "match" (and of its "payload_size" and "embedded"), and how a match is
// read: each key into the MatchDocument, then the checks across keys (a code name of a type
// the rule does not match; a rule that can match no packet).

#include <span>

#include "rules/key_reader.h"
#include "rules/policy_document.h"
#include "rules/policy_keys.h"

namespace icmpgate::rules {

[[nodiscard]] std::span<const KeyDescription> match_keys();
[[nodiscard]] std::span<const KeyDescription> payload_size_keys();
[[nodiscard]] std::span<const KeyDescription> embedded_keys();

// Reads a "match" object (checked to be an object) into `match`.
void read_match(KeyReader& reader, const Value& value, MatchDocument& match);

}  // namespace icmpgate::rules
