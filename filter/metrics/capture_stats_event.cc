#include "filter/metrics/capture_stats_event.h"

namespace icmpgate::metrics {

void put_capture_counters(log::JsonWriter& w, const capture::CaptureCounts& counts) {
    w.key("capture");
    w.begin_object();
    for (const capture::CaptureCounterInfo& row : capture::kCaptureCounters) {
        w.key(row.stats_key);
        w.unsigned_value(counts[row.counter]);
    }
    w.end_object();
}

}  // namespace icmpgate::metrics
