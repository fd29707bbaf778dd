#pragma once
// The keys of a rate limit and how one is read.

#include <span>

#include "rules/key_reader.h"
#include "rules/policy_document.h"
#include "rules/policy_keys.h"

namespace icmpgate::rules {

[[nodiscard]] std::span<const KeyDescription> limiter_keys();

// Rate limit names: what "rate_limits" may name its members.
inline constexpr NameSyntax kLimiterName{"rate limit name", 64, "._-"};

// Reads the rate limit `value.member` (checked to be an object) into `limiter`; true when it
// was read without an error.
[[nodiscard]] bool read_limiter(KeyReader& reader, const Value& value, LimiterDocument& limiter);

}  // namespace icmpgate::rules
