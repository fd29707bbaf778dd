#pragma once
// Gathers the daemon's counters into a metrics::StatsSnapshot for the periodic EVE stats
// event and the Prometheus textfile. Runs on the signal thread: it only reads the packet
// threads' relaxed counters, the limiter tables (which lock internally), the /proc file and
// the queue rules' counters (an nftables netlink dump; metrics/bypass_account.h).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "filter/capture/capture_writer.h"
#include "filter/log/async_line_writer.h"
#include "filter/metrics/bypass_account.h"
#include "filter/metrics/stats_snapshot.h"
#include "filter/nfq/queue_counters.h"
#include "filter/nfq/queue_rule_counters.h"
#include "filter/pipeline/active_policy.h"

namespace icmpgate::app {

// Rule hits by rule id, over every policy this run has had (a reload starts new counters).
using RuleHits = std::map<std::string, std::uint64_t>;

// Adds `policy`'s rule hits to `hits`, by rule id.
void fold_rule_hits(const pipeline::ActivePolicy& policy, RuleHits& hits);

class DaemonStats {
public:
    // `err` gets one line when the queue rules' counters cannot be read (bypass not counted).
    DaemonStats(const std::vector<std::unique_ptr<nfq::QueueCounters>>& counters, std::uint16_t first_queue,
                std::uint16_t last_queue, const log::AsyncLineWriter* writer, std::int64_t start_unix_ns,
                std::ostream& err);

    // Reads the queue rules' counters, the kernel's queue counters and ours, in that order, into
    // the bypass account (metrics/bypass_account.h). The first call is the baseline: make it once
    // the queues are bound. Returns the figures, or nullopt when the rules cannot be read.
    std::optional<metrics::BypassStats> sample_bypass();

    // The evidence capture writer whose counters the snapshots carry (null: none).
    void include_capture(const capture::CaptureWriter* writer) noexcept { capture_ = writer; }

    // Records a SIGHUP reload's outcome.
    void reload_succeeded(std::int64_t now_unix_ns) noexcept;
    void reload_failed() noexcept;

    // `earlier_hits`: rule hits of policies replaced by reloads, by rule id.
    // Also takes a bypass sample (sample_bypass()).
    [[nodiscard]] metrics::StatsSnapshot snapshot(const pipeline::ActivePolicy& active, const RuleHits& earlier_hits,
                                                  std::int64_t now_unix_ns);

private:
    const std::vector<std::unique_ptr<nfq::QueueCounters>>& counters_;
    std::uint16_t first_queue_;
    std::uint16_t last_queue_;
    std::ostream& err_;
    std::unique_ptr<nfq::QueueRuleCounterReader> rule_reader_;
    metrics::BypassAccount bypass_;
    bool bypass_failing_{false};
    const log::AsyncLineWriter* writer_;
    const capture::CaptureWriter* capture_{nullptr};
    std::int64_t start_unix_ns_;
    std::uint64_t reloads_succeeded_{0};
    std::uint64_t reloads_failed_{0};
    bool last_reload_successful_{true};
    std::int64_t last_success_unix_ns_;
};

// CLOCK_REALTIME in nanoseconds.
[[nodiscard]] std::int64_t wall_clock_ns() noexcept;

}  // namespace icmpgate::app
