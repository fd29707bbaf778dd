#pragma once
// The daemon's periodic outputs, both formatted from one snapshot of the counters: the EVE stats
// event in the verdict log every --stats-interval seconds, and the Prometheus textfile every
// --metrics-interval seconds (the first right away, so a collector never sees it missing). The
// signal loop calls tick() about twice a second, and once more with final_round at exit.

#include <cstdint>
#include <iosfwd>

#include "filter/app/daemon_stats.h"
#include "filter/app/run_command.h"
#include "filter/log/async_line_writer.h"
#include "filter/pipeline/active_policy.h"

namespace icmpgate::app {

// The longest line the daemon logs: a stats event of a very large policy (thousands of rules) fits.
inline constexpr std::size_t kLogLineMax = 1U << 20U;

class PeriodicOutputs {
public:
    PeriodicOutputs(const RunOptions& options, log::AsyncLineWriter* writer, std::ostream& err);

    void tick(DaemonStats& stats, const pipeline::ActivePolicy& active, const RuleHits& earlier, bool final_round);

private:
    const RunOptions& options_;
    log::AsyncLineWriter* writer_;
    std::ostream& err_;
    std::int64_t next_stats_ns_{0};
    std::int64_t next_metrics_ns_{0};
    bool metrics_failing_{false};
};

}  // namespace icmpgate::app
