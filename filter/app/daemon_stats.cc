#include "filter/app/daemon_stats.h"

#include <ctime>

#include "filter/metrics/kernel_queue_stats.h"
#include "icmpgate_version.h"

namespace icmpgate::app {

std::int64_t wall_clock_ns() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    constexpr std::int64_t kNsPerSecond = 1'000'000'000;
    return static_cast<std::int64_t>(ts.tv_sec) * kNsPerSecond + ts.tv_nsec;
}

DaemonStats::DaemonStats(const std::vector<std::unique_ptr<nfq::QueueCounters>>& counters, std::uint16_t first_queue,
                         const log::AsyncLineWriter* writer, std::int64_t start_unix_ns)
    : counters_{counters},
      first_queue_{first_queue},
      writer_{writer},
      start_unix_ns_{start_unix_ns},
      last_success_unix_ns_{start_unix_ns} {}

void DaemonStats::reload_succeeded(std::int64_t now_unix_ns) noexcept {
    ++reloads_succeeded_;
    last_reload_successful_ = true;
    last_success_unix_ns_ = now_unix_ns;
}

void DaemonStats::reload_failed() noexcept {
    ++reloads_failed_;
    last_reload_successful_ = false;
}

metrics::StatsSnapshot DaemonStats::snapshot(const nfq::ActivePolicy& active,
                                             const std::map<std::string, std::uint64_t>& earlier_hits,
                                             std::int64_t now_unix_ns) const {
    metrics::StatsSnapshot s;
    s.time_unix_ns = now_unix_ns;
    s.start_unix_ns = start_unix_ns_;
    s.version = ICMPGATE_VERSION;

    const std::string kernel_text = metrics::read_kernel_queue_stats_file();
    for (std::size_t i = 0; i < counters_.size(); ++i) {
        const nfq::QueueCounters& c = *counters_[i];
        metrics::QueueStats q;
        q.queue = static_cast<std::uint16_t>(first_queue_ + i);
        q.received = c.received.get();
        q.accepted = c.accepted.get();
        q.dropped = c.dropped.get();
        q.enobufs = c.enobufs.get();
        q.malformed = c.malformed.get();
        q.verdict_send_errors = c.verdict_send_errors.get();
        for (std::size_t r = 0; r < metrics::kReasonCount; ++r) {
            q.accepted_by_reason[r] = c.accepted_by_reason[r].get();
            q.dropped_by_reason[r] = c.dropped_by_reason[r].get();
        }
        for (std::size_t a = 0; a < decode::kAnomalyCount; ++a) q.by_anomaly[a] = c.by_anomaly[a].get();
        for (std::size_t f = 0; f < metrics::kFamilyCount; ++f) {
            q.accepted_by_family[f] = c.accepted_by_family[f].get();
            q.dropped_by_family[f] = c.dropped_by_family[f].get();
        }
        q.kernel = metrics::parse_kernel_queue_stats(kernel_text, q.queue);
        s.log.suppressed += c.log_lines_suppressed.get();
        s.queues.push_back(q);
    }

    std::map<std::string, std::uint64_t> hits = earlier_hits;
    for (std::size_t i = 0; i < active.policy->rules.size(); ++i)
        hits[active.policy->rules[i].id] += active.rule_hits[i].load(std::memory_order_relaxed);
    for (const auto& [id, n] : hits) s.rules.push_back({id, n});

    for (std::size_t i = 0; i < active.policy->limiters.size(); ++i) {
        const auto index = static_cast<rules::LimiterIndex>(i);
        s.limiters.push_back({active.policy->limiters[i].name, active.limiters.entries(index),
                              active.limiters.evictions(index), active.limiters.denials(index)});
    }

    if (writer_ != nullptr) {
        const log::LogWriterStats w = writer_->stats();
        s.log.enabled = true;
        s.log.written = w.written;
        s.log.dropped_queue_full = w.dropped_queue_full;
        s.log.dropped_too_long = w.dropped_too_long;
        s.log.dropped_write_error = w.dropped_write_error;
        s.log.write_errors = w.write_errors;
        s.log.reopens = w.reopens;
    }

    s.policy.digest = active.policy->digest;
    s.policy.reloads_succeeded = reloads_succeeded_;
    s.policy.reloads_failed = reloads_failed_;
    s.policy.last_reload_successful = last_reload_successful_;
    s.policy.last_success_unix_ns = last_success_unix_ns_;
    return s;
}

}  // namespace icmpgate::app
