#pragma once
// The evidence captures' counters in the EVE stats event: "capture": {written, dropped_queue_full,
// ...} under stats.icmpgate, one member per row of capture::kCaptureCounters (docs/log-format.md,
// "The stats event"). Present only when the daemon captures (--capture).

#include "filter/capture/capture_counters.h"
#include "filter/log/json_writer.h"

namespace icmpgate::metrics {

void put_capture_counters(log::JsonWriter& w, const capture::CaptureCounts& counts);

}  // namespace icmpgate::metrics
