#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::metrics {

QueueStats queue_totals(const StatsSnapshot& snapshot) {
    QueueStats total;
    for (const QueueStats& q : snapshot.queues) {
        total.received += q.received;
        total.accepted += q.accepted;
        total.dropped += q.dropped;
        total.enobufs += q.enobufs;
        total.malformed += q.malformed;
        total.verdict_send_errors += q.verdict_send_errors;
        for (std::size_t i = 0; i < kReasonCount; ++i) {
            total.accepted_by_reason[i] += q.accepted_by_reason[i];
            total.dropped_by_reason[i] += q.dropped_by_reason[i];
        }
        for (std::size_t i = 0; i < decode::kAnomalyCount; ++i) total.by_anomaly[i] += q.by_anomaly[i];
        for (std::size_t i = 0; i < kFamilyCount; ++i) {
            total.accepted_by_family[i] += q.accepted_by_family[i];
            total.dropped_by_family[i] += q.dropped_by_family[i];
        }
    }
    return total;
}

}  // namespace icmpgate::metrics
