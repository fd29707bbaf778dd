#pragma once
// Monitor mode's counts in one line for the exit summary and replay's totals: "would-be (monitor
// mode): 3 accepted, 5 dropped; dropped by rule 2, default 3; anomalies that decided: bad-checksum 1".

#include <string>

#include "filter/pipeline/verdict_counters.h"

namespace icmpgate::app {

// "" when monitor mode found nothing (no --monitor, no monitor rule matched).
[[nodiscard]] std::string would_be_text(const pipeline::VerdictCounts& counts);

}  // namespace icmpgate::app
