#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::metrics {

QueueStats queue_totals(const StatsSnapshot& snapshot) {
    QueueStats total;
    for (const QueueStats& q : snapshot.queues) {
        total.counts += q.counts;
        total.verdicts += q.verdicts;
    }
    return total;
}

}  // namespace icmpgate::metrics
