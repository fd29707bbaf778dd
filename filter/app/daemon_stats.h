#pragma once
// Gathers the daemon's counters into a metrics::StatsSnapshot for the periodic EVE stats
// event and the Prometheus textfile. Runs on the signal thread: it only reads the packet
// threads' relaxed counters, the limiter tables (which lock internally) and the /proc file.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "filter/log/async_line_writer.h"
#include "filter/metrics/stats_snapshot.h"
#include "filter/nfq/active_policy.h"
#include "filter/nfq/queue_counters.h"

namespace icmpgate::app {

class DaemonStats {
public:
    DaemonStats(const std::vector<std::unique_ptr<nfq::QueueCounters>>& counters, std::uint16_t first_queue,
                const log::AsyncLineWriter* writer, std::int64_t start_unix_ns);

    // Records a SIGHUP reload's outcome.
    void reload_succeeded(std::int64_t now_unix_ns) noexcept;
    void reload_failed() noexcept;

    // `earlier_hits`: rule hits of policies replaced by reloads, by rule id.
    [[nodiscard]] metrics::StatsSnapshot snapshot(const nfq::ActivePolicy& active,
                                                  const std::map<std::string, std::uint64_t>& earlier_hits,
                                                  std::int64_t now_unix_ns) const;

private:
    const std::vector<std::unique_ptr<nfq::QueueCounters>>& counters_;
    std::uint16_t first_queue_;
    const log::AsyncLineWriter* writer_;
    std::int64_t start_unix_ns_;
    std::uint64_t reloads_succeeded_{0};
    std::uint64_t reloads_failed_{0};
    bool last_reload_successful_{true};
    std::int64_t last_success_unix_ns_;
};

// CLOCK_REALTIME in nanoseconds.
[[nodiscard]] std::int64_t wall_clock_ns() noexcept;

}  // namespace icmpgate::app
