#include "filter/app/periodic_outputs.h"

#include <ostream>
#include <string>
#include <system_error>

#include "filter/metrics/prometheus_text.h"
#include "filter/metrics/stats_event.h"
#include "filter/nfq/queue_worker.h"

namespace icmpgate::app {
namespace {
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
}  // namespace

PeriodicOutputs::PeriodicOutputs(const RunOptions& options, log::AsyncLineWriter* writer, std::ostream& err)
    : options_{options}, writer_{writer}, err_{err} {
    const std::int64_t now = nfq::monotonic_clock_ns();
    next_stats_ns_ = now + options.stats_interval_seconds * kNsPerSecond;
    next_metrics_ns_ = now;
}

void PeriodicOutputs::tick(DaemonStats& stats, const pipeline::ActivePolicy& active, const RuleHits& earlier,
                           bool final_round) {
    const std::int64_t now = nfq::monotonic_clock_ns();
    const bool stats_due =
        writer_ != nullptr && options_.stats_interval_seconds > 0 && (final_round || now >= next_stats_ns_);
    const bool metrics_due = !options_.metrics_file.empty() && (final_round || now >= next_metrics_ns_);
    if (!stats_due && !metrics_due) return;
    const metrics::StatsSnapshot snapshot = stats.snapshot(active, earlier, wall_clock_ns());
    if (stats_due) {
        next_stats_ns_ = now + options_.stats_interval_seconds * kNsPerSecond;
        const std::string line = metrics::format_stats_event(snapshot, kLogLineMax - 1);
        if (line.empty())
            err_ << "icmpgate: stats event longer than " << kLogLineMax << " bytes, not logged\n";
        else
            writer_->submit(line);
    }
    if (metrics_due) {
        next_metrics_ns_ = now + options_.metrics_interval_seconds * kNsPerSecond;
        try {
            metrics::write_file_atomically(options_.metrics_file, metrics::format_prometheus_text(snapshot));
            metrics_failing_ = false;
        } catch (const std::system_error& e) {
            // Filtering goes on; say so once per run of failures.
            if (!metrics_failing_) err_ << "icmpgate: metrics file: " << e.what() << "\n";
            metrics_failing_ = true;
        }
    }
}

}  // namespace icmpgate::app
