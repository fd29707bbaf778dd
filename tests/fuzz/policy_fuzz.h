#pragma once
// Fuzz body: load_policy_text() over arbitrary bytes. It must never crash or throw, a
// policy is returned exactly when no error diagnostic was produced, and every diagnostic has
// a line and column.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rules/policy_loader.h"
#include "tests/fuzz/fuzz_support.h"

namespace icmpgate::fuzz {

inline void check_load_result(const rules::LoadResult& result) {
    std::size_t errors = 0;
    for (const rules::Diagnostic& diagnostic : result.diagnostics) {
        if (diagnostic.severity == rules::Diagnostic::Severity::error) ++errors;
        ICMPGATE_FUZZ_CHECK(!diagnostic.message.empty());
        ICMPGATE_FUZZ_CHECK(!diagnostic.to_string().empty());
        ICMPGATE_FUZZ_CHECK(diagnostic.pointer.empty() || diagnostic.pointer.front() == '/');
        // Every fault in a text, syntax or not, has the place an editor jumps to.
        ICMPGATE_FUZZ_CHECK(diagnostic.line.has_value() && diagnostic.column.has_value());
    }
    ICMPGATE_FUZZ_CHECK(errors == result.error_count());
    ICMPGATE_FUZZ_CHECK(result.ok() == (errors == 0));
    if (result.ok()) {
        ICMPGATE_FUZZ_CHECK(result.policy->digest.starts_with("sha256:"));
        for (const rules::CompiledRule& rule : result.policy->rules) {
            for (const rules::LimiterIndex limiter : rule.limiters)
                ICMPGATE_FUZZ_CHECK(limiter < result.policy->limiters.size());
        }
    }
}

inline int policy_one(const std::uint8_t* data, std::size_t size) {
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    check_load_result(rules::load_policy_text(text, "fuzz.json"));
    return 0;
}

}  // namespace icmpgate::fuzz
