#pragma once
// The summary `icmpgate run` prints on stderr when it stops (the journal under systemd): per
// queue the source's counters and the kernel's, the queue rules' bypass count, verdicts by
// reason, anomalies that decided, rule hits over every policy of the run, limiters, and the log.
// The names come from the counter tables (pipeline::kSourceCounters, verdict::kReasons,
// decode::kAnomalies).

#include <iosfwd>
#include <optional>

#include "filter/app/daemon.h"
#include "filter/app/daemon_stats.h"
#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::app {

void print_summary(std::ostream& err, const Daemon& daemon, RuleHits hits,
                   const std::optional<metrics::BypassStats>& bypass);

}  // namespace icmpgate::app
