#pragma once
// The periodic EVE "stats" event (Suricata's event_type "stats"; Filebeat maps it to
// event.kind "metric"): one JSON line carrying every counter of a snapshot, so that gaps
// in an audited log (dropped or suppressed lines) are visible in the log itself. Counters
// Suricata's schema has a place for go there (stats.uptime, stats.capture, stats.ips); the
// rest under stats.icmpgate (docs/log-format.md, "The stats event").
// Cold path: runs on the signal thread every --stats-interval seconds.

#include <string>

#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::metrics {

// The line without its newline; empty if it would exceed `max_bytes`.
[[nodiscard]] std::string format_stats_event(const StatsSnapshot& snapshot, std::size_t max_bytes);

}  // namespace icmpgate::metrics
