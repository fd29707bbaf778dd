#include "filter/app/daemon_summary.h"

#include <ostream>
#include <string>

#include "filter/app/would_be_text.h"
#include "filter/metrics/kernel_queue_stats.h"

namespace icmpgate::app {
namespace {

// The kernel's own counters of a queue (metrics/kernel_queue_stats.h).
std::string kernel_queue_text(const std::string& proc_text, std::uint16_t queue) {
    const std::optional<metrics::KernelQueueStats> k = metrics::parse_kernel_queue_stats(proc_text, queue);
    if (!k) return "kernel counters unavailable";
    return "waiting " + std::to_string(k->waiting) + ", kernel queue_dropped " + std::to_string(k->queue_dropped) +
           ", user_dropped " + std::to_string(k->user_dropped);
}

}  // namespace

void print_summary(std::ostream& err, const Daemon& d, RuleHits hits,
                   const std::optional<metrics::BypassStats>& bypass) {
    err << "icmpgate: summary\n";
    const std::string proc_text = metrics::read_kernel_queue_stats_file();
    pipeline::VerdictCounts verdicts;
    for (std::size_t i = 0; i < d.counters.size(); ++i) {
        const nfq::QueueCounters& c = *d.counters[i];
        const auto queue = static_cast<std::uint16_t>(d.options.first_queue + i);
        err << "  queue " << queue << ":";
        for (const pipeline::SourceCounterInfo& row : pipeline::kSourceCounters)
            err << (row.counter == pipeline::SourceCounter{} ? " " : ", ") << row.summary_text << " "
                << c.source.get(row.counter);
        err << "; " << kernel_queue_text(proc_text, queue) << "\n";
        verdicts += c.verdicts.snapshot();
    }
    // Fail-open (a full queue or socket buffer) and a missing listener let packets through that
    // no queue counter above shows: the queue rules' own counters against what we received.
    if (bypass) {
        err << "  queue rules: " << bypass->queue_rules << " (" << bypass->rules_without_counter
            << " without a counter), packets they queued " << bypass->rules_queued
            << ", bypassed uninspected (fail-open or no listener) " << bypass->bypassed << "\n";
    } else {
        err << "  queue rules: counters unavailable, bypassed packets not counted\n";
    }
    err << "  by reason:";
    for (const verdict::ReasonInfo& reason : verdict::kReasons)
        err << " " << reason.name << "=" << verdicts.of(reason.reason);
    err << "\n  anomalies that decided:";
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        if (const std::uint64_t n = verdicts.of(info.anomaly); n > 0) err << " " << info.name << "=" << n;
    if (const std::string would_be = would_be_text(verdicts); !would_be.empty()) err << "\n  " << would_be;

    const pipeline::ActivePolicy& active = *d.active.load();
    fold_rule_hits(active, hits);
    err << "\n  rule hits:";
    for (const auto& [id, n] : hits) err << " " << id << "=" << n;
    err << "\n  limiters:";
    for (std::size_t i = 0; i < active.policy->limiters.size(); ++i) {
        const auto index = static_cast<rules::LimiterIndex>(i);
        err << " " << active.policy->limiters[i].name << " (entries " << active.limiters.entries(index)
            << ", evictions " << active.limiters.evictions(index) << ", rate-limited " << active.limiters.denials(index)
            << ")";
    }
    std::uint64_t suppressed = 0;
    std::uint64_t refused = 0;
    for (const auto& c : d.counters) {
        suppressed += c->log.suppressed.get();
        refused += c->log.refused.get();
    }
    err << "\n  log: suppressed " << suppressed << ", dropped (queue full) " << refused;
    if (d.writer) {
        const log::LogWriterStats s = d.writer->stats();
        err << ", written " << s.written << ", lost to write errors " << s.dropped_write_error << " (" << s.write_errors
            << " failed writes), reopened " << s.reopens;
    }
    err << "\n";
    if (d.capture) print_capture_summary(err, d.capture->counts());
}

}  // namespace icmpgate::app
