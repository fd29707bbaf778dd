#include "filter/metrics/stats_event.h"

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "filter/log/eve_timestamp.h"
#include "filter/metrics/capture_stats_event.h"
#include "filter/log/icmpgate_event.h"
#include "filter/log/json_writer.h"

namespace icmpgate::metrics {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

void counter(log::JsonWriter& w, std::string_view name, std::uint64_t value) {
    w.key(name);
    w.unsigned_value(value);
}

// One function per counter group below; a new group is one more function and one more call
// in format_stats_event.

// Packet counters shared by the totals and each queue.
// The names come from the tables: pipeline::kSourceCounters, verdict::kReasons,
// pipeline::kVerdicts and pipeline::kFamilies.
void packet_counters(log::JsonWriter& w, const QueueStats& q) {
    for (const pipeline::SourceCounterInfo& row : pipeline::kSourceCounters) counter(w, row.stats_key, q.counts[row.counter]);
    w.key("by_reason");
    w.begin_object();
    for (const verdict::ReasonInfo& reason : verdict::kReasons) {
        w.key(reason.name);
        w.begin_object();
        for (const pipeline::VerdictName& v : pipeline::kVerdicts)
            counter(w, v.counted, q.verdicts.by_reason[pipeline::verdict_index(v.verdict)][static_cast<std::size_t>(reason.reason)]);
        w.end_object();
    }
    w.end_object();
    w.key("by_family");
    w.begin_object();
    for (std::size_t f = 0; f < pipeline::kFamilyCount; ++f) {
        w.key(pipeline::kFamilies[f]);
        w.begin_object();
        for (const pipeline::VerdictName& v : pipeline::kVerdicts)
            counter(w, v.counted, q.verdicts.by_family[pipeline::verdict_index(v.verdict)][f]);
        w.end_object();
    }
    w.end_object();
}

// Suricata's capture counters: kernel_packets are the packets the kernel's queues handed to
// icmpgate; kernel_drops the packets the kernel dropped instead (queue_dropped + user_dropped
// from /proc, written when the kernel lists a queue). The kernel counts those only when failing
// closed: packets accepted unseen when failing open are in stats.icmpgate.bypass.
void suricata_capture(log::JsonWriter& w, const StatsSnapshot& snapshot, const QueueStats& total) {
    w.key("capture");
    w.begin_object();
    counter(w, "kernel_packets", total.counts[pipeline::SourceCounter::received]);
    bool listed = false;
    std::uint64_t kernel_drops = 0;
    for (const QueueStats& q : snapshot.queues)
        if (q.kernel) {
            listed = true;
            kernel_drops += q.kernel->queue_dropped + q.kernel->user_dropped;
        }
    if (listed) counter(w, "kernel_drops", kernel_drops);
    w.end_object();
}

// Suricata's IPS counters: packets icmpgate accepted and dropped.
void suricata_ips(log::JsonWriter& w, const QueueStats& total) {
    w.key("ips");
    w.begin_object();
    counter(w, "accepted", total.counts[pipeline::SourceCounter::accepted]);
    counter(w, "blocked", total.counts[pipeline::SourceCounter::dropped]);
    w.end_object();
}

void packets(log::JsonWriter& w, const QueueStats& total) {
    w.key("packets");
    w.begin_object();
    packet_counters(w, total);
    w.key("by_anomaly");
    w.begin_object();
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        counter(w, info.name, total.verdicts.of(info.anomaly));
    w.end_object();
    w.end_object();
}

void queues(log::JsonWriter& w, const StatsSnapshot& snapshot) {
    w.key("queues");
    w.begin_array();
    for (const QueueStats& q : snapshot.queues) {
        w.begin_object();
        counter(w, "queue", q.queue);
        packet_counters(w, q);
        if (q.kernel) {
            w.key("kernel");
            w.begin_object();
            counter(w, "waiting", q.kernel->waiting);
            counter(w, "queue_dropped", q.kernel->queue_dropped);
            counter(w, "user_dropped", q.kernel->user_dropped);
            w.end_object();
        }
        w.end_object();
    }
    w.end_array();
}

// Packets the queue rules sent that the daemon never received (fail-open overflow): from
// the rules' own counters, which the kernel's queue counters do not cover.
void bypass(log::JsonWriter& w, const StatsSnapshot& snapshot) {
    if (!snapshot.bypass) return;
    w.key("bypass");
    w.begin_object();
    counter(w, "queue_rules", snapshot.bypass->queue_rules);
    counter(w, "rules_without_counter", snapshot.bypass->rules_without_counter);
    counter(w, "rules_queued", snapshot.bypass->rules_queued);
    counter(w, "bypassed", snapshot.bypass->bypassed);
    w.end_object();
}

void log_lines(log::JsonWriter& w, const LogStats& log) {
    w.key("log");
    w.begin_object();
    counter(w, "written", log.written);
    counter(w, "dropped_queue_full", log.dropped_queue_full);
    counter(w, "dropped_too_long", log.dropped_too_long);
    counter(w, "dropped_write_error", log.dropped_write_error);
    counter(w, "suppressed", log.suppressed);
    counter(w, "write_errors", log.write_errors);
    counter(w, "reopens", log.reopens);
    w.end_object();
}

void rules(log::JsonWriter& w, const StatsSnapshot& snapshot) {
    w.key("rules");
    w.begin_object();
    for (const RuleStats& r : snapshot.rules) counter(w, r.id, r.matches);
    w.end_object();
}

void limiters(log::JsonWriter& w, const StatsSnapshot& snapshot) {
    w.key("limiters");
    w.begin_object();
    for (const LimiterStats& l : snapshot.limiters) {
        w.key(l.name);
        w.begin_object();
        counter(w, "entries", l.entries);
        counter(w, "evictions", l.evictions);
        counter(w, "rate_limited", l.rate_limited);
        w.end_object();
    }
    w.end_object();
}

void policy(log::JsonWriter& w, const PolicyStats& policy) {
    w.key("policy");
    w.begin_object();
    w.key("digest");
    w.string_value(policy.digest);
    counter(w, "reloads_succeeded", policy.reloads_succeeded);
    counter(w, "reloads_failed", policy.reloads_failed);
    w.key("last_reload_successful");
    w.bool_value(policy.last_reload_successful);
    w.end_object();
}

}  // namespace

std::string format_stats_event(const StatsSnapshot& snapshot, std::size_t max_bytes) {
    std::vector<char> buffer(max_bytes);
    log::JsonWriter w{std::span<char>(buffer)};
    std::array<char, log::kEveTimestampLength> timestamp{};
    log::format_eve_timestamp(snapshot.time_unix_ns, timestamp);
    const QueueStats total = queue_totals(snapshot);

    w.begin_object();
    w.key("timestamp");
    w.string_value({timestamp.data(), timestamp.size()});
    w.key("event_type");
    w.string_value("stats");
    w.key("stats");
    w.begin_object();
    // Suricata's counters, where Suricata's schema has a place for them.
    counter(w, "uptime",
            static_cast<std::uint64_t>(
                std::max<std::int64_t>(0, (snapshot.time_unix_ns - snapshot.start_unix_ns) / kNsPerSecond)));
    suricata_capture(w, snapshot, total);
    suricata_ips(w, total);
    // icmpgate's own counters.
    w.key("icmpgate");
    w.begin_object();
    packets(w, total);
    queues(w, snapshot);
    bypass(w, snapshot);
    log_lines(w, snapshot.log);
    if (snapshot.capture) put_capture_counters(w, *snapshot.capture);
    rules(w, snapshot);
    limiters(w, snapshot);
    policy(w, snapshot.policy);
    w.end_object();  // stats.icmpgate
    w.end_object();  // stats
    log::put_log_version_member(w);
    w.end_object();
    if (w.overflowed()) return {};
    return std::string(w.view());
}

}  // namespace icmpgate::metrics
