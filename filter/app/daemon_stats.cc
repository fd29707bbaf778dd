#include "filter/app/daemon_stats.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

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
                         std::uint16_t last_queue, const log::AsyncLineWriter* writer, std::int64_t start_unix_ns,
                         std::ostream& err)
    : counters_{counters},
      first_queue_{first_queue},
      last_queue_{last_queue},
      err_{err},
      writer_{writer},
      start_unix_ns_{start_unix_ns},
      last_success_unix_ns_{start_unix_ns} {
    try {
        rule_reader_ = std::make_unique<nfq::QueueRuleCounterReader>();
    } catch (const std::system_error& e) {
        err_ << "icmpgate: cannot read the queue rules' counters (" << e.what()
             << "): packets bypassed uninspected are not counted\n";
        bypass_failing_ = true;
    }
}

std::optional<metrics::BypassStats> DaemonStats::sample_bypass() {
    if (!rule_reader_) return std::nullopt;
    // Rules first: a packet arriving while the sample is taken is then at most missing from
    // rules_queued (the sample too low), never from received (too high).
    const std::optional<nfq::QueueRuleCount> rules = rule_reader_->read(first_queue_, last_queue_);
    if (!rules) {
        if (!bypass_failing_)
            err_ << "icmpgate: cannot read the queue rules' counters (" << std::strerror(errno)
                 << "): packets bypassed uninspected are not counted until it works again\n";
        bypass_failing_ = true;
        return std::nullopt;
    }
    if (bypass_failing_ && bypass_.started()) err_ << "icmpgate: the queue rules' counters can be read again\n";
    bypass_failing_ = false;
    metrics::QueueAccountingSample sample;
    sample.rules_queued = rules->packets;
    const std::string kernel_text = metrics::read_kernel_queue_stats_file();
    for (std::size_t i = 0; i < counters_.size(); ++i) {
        const auto queue = static_cast<std::uint16_t>(first_queue_ + i);
        if (const auto k = metrics::parse_kernel_queue_stats(kernel_text, queue))
            sample.kernel_held += k->waiting + k->queue_dropped + k->user_dropped;
    }
    for (const auto& c : counters_) sample.received += c->source.get(pipeline::SourceCounter::received);
    bypass_.observe(sample);
    return metrics::BypassStats{.queue_rules = rules->rules,
                                .rules_without_counter = rules->rules_without_counter,
                                .rules_queued = bypass_.rules_queued(),
                                .bypassed = bypass_.bypassed()};
}

void DaemonStats::reload_succeeded(std::int64_t now_unix_ns) noexcept {
    ++reloads_succeeded_;
    last_reload_successful_ = true;
    last_success_unix_ns_ = now_unix_ns;
}

void DaemonStats::reload_failed() noexcept {
    ++reloads_failed_;
    last_reload_successful_ = false;
}

void fold_rule_hits(const pipeline::ActivePolicy& policy, RuleHits& hits) {
    for (std::size_t i = 0; i < policy.policy->rules.size(); ++i)
        hits[policy.policy->rules[i].id] += policy.rule_hits[i].load(std::memory_order_relaxed);
}

metrics::StatsSnapshot DaemonStats::snapshot(const pipeline::ActivePolicy& active, const RuleHits& earlier_hits,
                                             std::int64_t now_unix_ns) {
    metrics::StatsSnapshot s;
    s.bypass = sample_bypass();
    s.time_unix_ns = now_unix_ns;
    s.start_unix_ns = start_unix_ns_;
    s.version = ICMPGATE_VERSION;

    const std::string kernel_text = metrics::read_kernel_queue_stats_file();
    for (std::size_t i = 0; i < counters_.size(); ++i) {
        const nfq::QueueCounters& c = *counters_[i];
        metrics::QueueStats q;
        q.queue = static_cast<std::uint16_t>(first_queue_ + i);
        q.counts = c.source.snapshot();
        q.verdicts = c.verdicts.snapshot();
        q.kernel = metrics::parse_kernel_queue_stats(kernel_text, q.queue);
        s.log.suppressed += c.log.suppressed.get();
        s.queues.push_back(q);
    }

    RuleHits hits = earlier_hits;
    fold_rule_hits(active, hits);
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

    if (capture_ != nullptr) s.capture = capture_->counts();

    s.policy.digest = active.policy->digest;
    s.policy.reloads_succeeded = reloads_succeeded_;
    s.policy.reloads_failed = reloads_failed_;
    s.policy.last_reload_successful = last_reload_successful_;
    s.policy.last_success_unix_ns = last_success_unix_ns_;
    return s;
}

}  // namespace icmpgate::app
