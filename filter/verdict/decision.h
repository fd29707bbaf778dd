#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "filter/decode/anomaly.h"
#include "rules/compiled_policy.h"

namespace icmpgate::verdict {

enum class Reason : std::uint8_t { rule, default_verdict, protected_type, rate_limit, anomaly, not_icmp };

[[nodiscard]] constexpr std::string_view reason_name(Reason r) noexcept {
    switch (r) {
        case Reason::rule: return "rule";
        case Reason::default_verdict: return "default";
        case Reason::protected_type: return "protected";
        case Reason::rate_limit: return "rate-limit";
        case Reason::anomaly: return "anomaly";
        case Reason::not_icmp: return "not-icmp";
    }
    return "?";
}

struct Decision {
    rules::Verdict verdict{rules::Verdict::accept};
    Reason reason{Reason::not_icmp};
    decode::Anomaly anomaly{decode::Anomaly::truncated};     // meaningful when reason == anomaly
    std::optional<rules::RuleIndex> rule;                    // the matching rule (rule, rate-limit)
    std::optional<rules::LimiterIndex> limiter;              // the limiter that had no token

    friend constexpr bool operator==(const Decision&, const Decision&) noexcept = default;
};

}  // namespace icmpgate::verdict
