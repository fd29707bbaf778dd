#pragma once
// The Prometheus text exposition format (version 0.0.4) of a snapshot, for node_exporter's
// textfile collector: icmpgate_* names, counters ending in _total, seconds as the time
// unit, labels with a bounded set of values (queues, reasons, anomalies, the policy's rules
// and limiters). Cold path.
//
// A label value is spelled as the verdict log spells the same thing, in every metric, from the
// same tables: reasons as in icmpgate.reason (verdict::kReasons), anomaly names as in
// icmpgate.anomalies (decode::kAnomalies), lost-line reasons as in the log_gap event (queue-full,
// too-long, write-error), verdicts accept and drop and families ipv4 and ipv6
// (pipeline::kVerdicts, pipeline::kFamilies); the queue source's counters are named in
// pipeline::kSourceCounters.

#include <string>
#include <string_view>

#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::metrics {

[[nodiscard]] std::string format_prometheus_text(const StatsSnapshot& snapshot);

// A label value escaped as the text format requires: backslash, double quote and newline.
[[nodiscard]] std::string escape_label_value(std::string_view value);

// Writes `text` to `path` atomically: a temporary file in the same directory, fsync'd, then
// renamed over `path`, so a collector never reads half a file. Throws std::system_error.
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace icmpgate::metrics
