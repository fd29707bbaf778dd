#include "filter/metrics/stats_event.h"

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "filter/log/eve_timestamp.h"
#include "filter/log/json_writer.h"

namespace icmpgate::metrics {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

void counter(log::JsonWriter& w, std::string_view name, std::uint64_t value) {
    w.key(name);
    w.unsigned_value(value);
}

// Packet counters shared by the totals and each queue.
void packet_counters(log::JsonWriter& w, const QueueStats& q) {
    counter(w, "received", q.received);
    counter(w, "accepted", q.accepted);
    counter(w, "dropped", q.dropped);
    counter(w, "enobufs", q.enobufs);
    counter(w, "malformed", q.malformed);
    counter(w, "verdict_send_errors", q.verdict_send_errors);
    w.key("by_reason");
    w.begin_object();
    for (std::size_t i = 0; i < kReasonCount; ++i) {
        w.key(verdict::reason_name(kReasons[i]));
        w.begin_object();
        counter(w, "accepted", q.accepted_by_reason[i]);
        counter(w, "dropped", q.dropped_by_reason[i]);
        w.end_object();
    }
    w.end_object();
    w.key("by_family");
    w.begin_object();
    for (std::size_t i = 0; i < kFamilyCount; ++i) {
        w.key(kFamilyNames[i]);
        w.begin_object();
        counter(w, "accepted", q.accepted_by_family[i]);
        counter(w, "dropped", q.dropped_by_family[i]);
        w.end_object();
    }
    w.end_object();
}

}  // namespace

std::string format_stats_event(const StatsSnapshot& snapshot, std::size_t max_bytes) {
    std::vector<char> buffer(max_bytes);
    log::JsonWriter w{std::span<char>(buffer)};
    std::array<char, log::kEveTimestampLength> timestamp{};
    log::format_eve_timestamp(snapshot.time_unix_ns, timestamp);

    w.begin_object();
    w.key("timestamp");
    w.string_value({timestamp.data(), timestamp.size()});
    w.key("event_type");
    w.string_value("stats");
    w.key("stats");
    w.begin_object();
    counter(w, "uptime", static_cast<std::uint64_t>(
                             std::max<std::int64_t>(0, (snapshot.time_unix_ns - snapshot.start_unix_ns) / kNsPerSecond)));

    const QueueStats total = queue_totals(snapshot);
    w.key("packets");
    w.begin_object();
    packet_counters(w, total);
    w.key("by_anomaly");
    w.begin_object();
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        counter(w, info.name, total.by_anomaly[static_cast<std::size_t>(info.anomaly)]);
    w.end_object();
    w.end_object();

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

    if (snapshot.bypass) {
        w.key("bypass");
        w.begin_object();
        counter(w, "queue_rules", snapshot.bypass->queue_rules);
        counter(w, "rules_without_counter", snapshot.bypass->rules_without_counter);
        counter(w, "rules_queued", snapshot.bypass->rules_queued);
        counter(w, "bypassed", snapshot.bypass->bypassed);
        w.end_object();
    }

    w.key("log");
    w.begin_object();
    counter(w, "written", snapshot.log.written);
    counter(w, "dropped_queue_full", snapshot.log.dropped_queue_full);
    counter(w, "dropped_too_long", snapshot.log.dropped_too_long);
    counter(w, "dropped_write_error", snapshot.log.dropped_write_error);
    counter(w, "suppressed", snapshot.log.suppressed);
    counter(w, "write_errors", snapshot.log.write_errors);
    counter(w, "reopens", snapshot.log.reopens);
    w.end_object();

    w.key("rules");
    w.begin_object();
    for (const RuleStats& r : snapshot.rules) counter(w, r.id, r.matches);
    w.end_object();

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

    w.key("policy");
    w.begin_object();
    w.key("digest");
    w.string_value(snapshot.policy.digest);
    counter(w, "reloads_succeeded", snapshot.policy.reloads_succeeded);
    counter(w, "reloads_failed", snapshot.policy.reloads_failed);
    w.key("last_reload_successful");
    w.bool_value(snapshot.policy.last_reload_successful);
    w.end_object();

    w.end_object();  // stats
    w.end_object();
    if (w.overflowed()) return {};
    return std::string(w.view());
}

}  // namespace icmpgate::metrics
