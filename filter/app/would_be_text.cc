#include "filter/app/would_be_text.h"

#include <cstdint>

namespace icmpgate::app {

std::string would_be_text(const pipeline::VerdictCounts& counts) {
    const std::uint64_t accepted = counts.would_be(rules::Verdict::accept);
    const std::uint64_t dropped = counts.would_be(rules::Verdict::drop);
    if (accepted + dropped == 0) return "";
    std::string text =
        "would-be (monitor mode): " + std::to_string(accepted) + " accepted, " + std::to_string(dropped) + " dropped";
    std::string by_reason;
    for (const verdict::ReasonInfo& reason : verdict::kReasons) {
        const std::uint64_t n = counts.would_be_by_reason[pipeline::verdict_index(rules::Verdict::drop)]
                                                         [static_cast<std::size_t>(reason.reason)];
        if (n > 0) by_reason += (by_reason.empty() ? "" : ", ") + std::string{reason.name} + " " + std::to_string(n);
    }
    if (!by_reason.empty()) text += "; dropped by " + by_reason;
    std::string anomalies;
    for (const decode::AnomalyInfo& info : decode::kAnomalies) {
        const std::uint64_t n = counts.would_be_by_anomaly[static_cast<std::size_t>(info.anomaly)];
        if (n > 0) anomalies += (anomalies.empty() ? "" : ", ") + std::string{info.name} + " " + std::to_string(n);
    }
    if (!anomalies.empty()) text += "; anomalies that decided: " + anomalies;
    return text;
}

}  // namespace icmpgate::app
