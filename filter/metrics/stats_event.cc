#include "filter/metrics/stats_event.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "filter/log/fixed_words.h"
#include "filter/log/icmpgate_event.h"
#include "filter/log/line_writer.h"

namespace icmpgate::metrics {
namespace {

using log::Out;
using log::put_char;
using log::put_key;
using log::put_literal;
using log::put_number;
using log::put_separator;
using log::put_unsigned;

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

// The longest of each table's names (the words below are written without an escape scan).
template <typename Table, typename Name>
constexpr std::size_t longest(const Table& table, Name name) noexcept {
    std::size_t n = 0;
    for (const auto& row : table) n = std::max(n, std::string_view{name(row)}.size());
    return n;
}
constexpr std::size_t kFamilyNameMax = longest(pipeline::kFamilies, [](std::string_view f) { return f; });
constexpr std::size_t kSourceKeyMax =
    longest(pipeline::kSourceCounters, [](const pipeline::SourceCounterInfo& r) { return r.stats_key; });
constexpr std::size_t kVerdictKeyMax =
    longest(pipeline::kVerdicts, [](const pipeline::VerdictName& v) { return v.counted; });
static_assert(std::all_of(pipeline::kFamilies.begin(), pipeline::kFamilies.end(), log::words::is_plain_word) &&
                  std::all_of(pipeline::kSourceCounters.begin(), pipeline::kSourceCounters.end(),
                              [](const pipeline::SourceCounterInfo& r) {
                                  return log::words::is_plain_word(r.stats_key);
                              }) &&
                  std::all_of(pipeline::kVerdicts.begin(), pipeline::kVerdicts.end(),
                              [](const pipeline::VerdictName& v) { return log::words::is_plain_word(v.counted); }),
              "family, counter and verdict names are written without an escape scan");
constexpr std::size_t kCaptureKeyMax =
    longest(capture::kCaptureCounters, [](const capture::CaptureCounterInfo& r) { return r.stats_key; });
static_assert(std::all_of(capture::kCaptureCounters.begin(), capture::kCaptureCounters.end(),
                          [](const capture::CaptureCounterInfo& r) { return log::words::is_plain_word(r.stats_key); }),
              "capture counter names are written without an escape scan");

// One function per part of the line below; each part is appended to the line with its own worst
// case (log::GrowingLine), so a new counter is one more put in a part.

// `"<word>":`, a member named by one of the program's words (no comma before the first).
template <std::size_t MaxBytes, std::size_t N>
auto put_word_key(Out<N> out, std::string_view word, bool first) noexcept {
    return put_char<':'>(log::put_word<MaxBytes>(put_separator(out, first), word));
}

// {"accepted":N,"dropped":N}, one member per pipeline::kVerdicts row; `counts` indexed by verdict.
template <std::size_t N, typename CountOf>
auto put_verdict_pair(Out<N> out, CountOf count_of) noexcept {
    return put_char<'}'>(
        log::repeat<pipeline::kVerdictCount>(put_char<'{'>(out), pipeline::kVerdictCount, [&](auto o, std::size_t v) {
            const auto key = put_word_key<kVerdictKeyMax>(o, pipeline::kVerdicts[v].counted, v == 0);
            return put_unsigned(key, count_of(v));
        }));
}

// {"<reason>":{"accepted":N,"dropped":N},...}, one member per verdict::kReasons row.
template <std::size_t N, typename ByReason>
auto put_reason_pairs(Out<N> out, const ByReason& by_reason) noexcept {
    return put_char<'}'>(
        log::repeat<verdict::kReasonCount>(put_char<'{'>(out), verdict::kReasonCount, [&](auto o, std::size_t i) {
            const verdict::ReasonInfo& reason = verdict::kReasons[i];
            const auto key = put_word_key<log::words::kReasonNameMax>(o, reason.name, i == 0);
            return put_verdict_pair(
                key, [&](std::size_t v) { return by_reason[v][static_cast<std::size_t>(reason.reason)]; });
        }));
}

// Packet counters shared by the totals and each queue (first: they open their object). The names
// come from the tables: pipeline::kSourceCounters, verdict::kReasons, pipeline::kVerdicts and
// pipeline::kFamilies.
template <std::size_t N>
auto put_packet_counters(Out<N> out, const QueueStats& q, bool first) noexcept {
    const auto counters =
        log::repeat<pipeline::kSourceCounterCount>(out, pipeline::kSourceCounterCount, [&](auto o, std::size_t i) {
            const pipeline::SourceCounterInfo& row = pipeline::kSourceCounters[i];
            return put_unsigned(put_word_key<kSourceKeyMax>(o, row.stats_key, first && i == 0), q.counts[row.counter]);
        });
    const auto by_reason = put_reason_pairs(put_key<"by_reason">(counters), q.verdicts.by_reason);
    const auto by_family = log::repeat<pipeline::kFamilyCount>(
        put_char<'{'>(put_key<"by_family">(by_reason)), pipeline::kFamilyCount, [&](auto o, std::size_t f) {
            const auto key = put_word_key<kFamilyNameMax>(o, pipeline::kFamilies[f], f == 0);
            return put_verdict_pair(key, [&](std::size_t v) { return q.verdicts.by_family[v][f]; });
        });
    // Monitor mode: the would-be outcomes, by the same reasons.
    return put_reason_pairs(put_key<"would_be">(put_char<'}'>(by_family)), q.verdicts.would_be_by_reason);
}

// Suricata's capture counters: kernel_packets are the packets the kernel's queues handed to
// icmpgate; kernel_drops the packets the kernel dropped instead (queue_dropped + user_dropped
// from /proc, written when the kernel lists a queue). The kernel counts those only when failing
// closed: packets accepted unseen when failing open are in stats.icmpgate.bypass.
template <std::size_t N>
auto put_suricata_capture(Out<N> out, const StatsSnapshot& snapshot, const QueueStats& total) noexcept {
    bool listed = false;
    std::uint64_t kernel_drops = 0;
    for (const QueueStats& q : snapshot.queues)
        if (q.kernel) {
            listed = true;
            kernel_drops += q.kernel->queue_dropped + q.kernel->user_dropped;
        }
    const auto packets = put_unsigned(put_literal<R"(,"capture":{"kernel_packets":)">(out),
                                      total.counts[pipeline::SourceCounter::received]);
    return put_char<'}'>(
        log::when(listed, packets, [&](auto o) { return put_number<"kernel_drops">(o, kernel_drops); }));
}

// EVE's header, Suricata's counters where Suricata's schema has a place for them, and
// icmpgate's packet totals; up to the queues.
template <std::size_t N>
auto put_head(Out<N> out, const StatsSnapshot& snapshot, const QueueStats& total) noexcept {
    const auto time =
        log::event_line::put_timestamp_of(log::put_first_key<"timestamp">(put_char<'{'>(out)), snapshot.time_unix_ns);
    const auto uptime = put_unsigned(put_literal<R"(,"event_type":"stats","stats":{"uptime":)">(time),
                                     static_cast<std::uint64_t>(std::max<std::int64_t>(
                                         0, (snapshot.time_unix_ns - snapshot.start_unix_ns) / kNsPerSecond)));
    const auto capture = put_suricata_capture(uptime, snapshot, total);
    // Suricata's IPS counters: packets icmpgate accepted and dropped.
    const auto ips = put_char<'}'>(put_number<"blocked">(
        put_unsigned(put_literal<R"(,"ips":{"accepted":)">(capture), total.counts[pipeline::SourceCounter::accepted]),
        total.counts[pipeline::SourceCounter::dropped]));
    // icmpgate's own counters, from the totals over every queue.
    const auto packets = put_packet_counters(put_literal<R"(,"icmpgate":{"packets":{)">(ips), total, true);
    const auto put_anomaly_counts = [&](auto o, const auto& counts) {
        return put_char<'}'>(
            log::repeat<decode::kAnomalyCount>(put_char<'{'>(o), decode::kAnomalyCount, [&](auto a, std::size_t i) {
                const decode::AnomalyInfo& info = decode::kAnomalies[i];
                const auto key = put_word_key<log::words::kAnomalyNameMax>(a, info.name, i == 0);
                return put_unsigned(key, counts[static_cast<std::size_t>(info.anomaly)]);
            }));
    };
    const auto by_anomaly = put_anomaly_counts(put_key<"by_anomaly">(packets), total.verdicts.by_anomaly);
    const auto would_be =
        put_anomaly_counts(put_key<"would_be_by_anomaly">(by_anomaly), total.verdicts.would_be_by_anomaly);
    return put_literal<R"(},"queues":[)">(would_be);
}

template <std::size_t N>
auto put_queue(Out<N> out, const QueueStats& q, bool first) noexcept {
    const auto number = put_unsigned(put_literal<R"({"queue":)">(put_separator(out, first)), q.queue);
    const auto counters = put_packet_counters(number, q, false);
    const auto kernel = log::when(q.kernel.has_value(), counters, [&](auto o) {
        const auto waiting = put_unsigned(put_literal<R"(,"kernel":{"waiting":)">(o), q.kernel->waiting);
        return put_char<'}'>(put_number<"user_dropped">(put_number<"queue_dropped">(waiting, q.kernel->queue_dropped),
                                                        q.kernel->user_dropped));
    });
    return put_char<'}'>(kernel);
}

// The evidence captures' counters (capture::kCaptureCounters), when --capture is on.
template <std::size_t N>
auto put_capture(Out<N> out, const capture::CaptureCounts& counts) noexcept {
    return put_char<'}'>(log::repeat<capture::kCaptureCounterCount>(
        put_literal<R"(,"capture":{)">(out), capture::kCaptureCounterCount, [&](auto o, std::size_t i) {
            const capture::CaptureCounterInfo& row = capture::kCaptureCounters[i];
            return put_unsigned(put_word_key<kCaptureKeyMax>(o, row.stats_key, i == 0), counts[row.counter]);
        }));
}

// After the queues: packets the queue rules sent that the daemon never received (fail-open
// overflow, from the rules' own counters, which the kernel's queue counters do not cover), the
// log writer's counters, and the start of the rules.
template <std::size_t N>
auto put_bypass_and_log(Out<N> out, const StatsSnapshot& snapshot) noexcept {
    const auto bypass = log::when(snapshot.bypass.has_value(), put_char<']'>(out), [&](auto o) {
        const BypassStats& b = *snapshot.bypass;
        const auto rules = put_unsigned(put_literal<R"(,"bypass":{"queue_rules":)">(o), b.queue_rules);
        return put_char<'}'>(put_number<"bypassed">(
            put_number<"rules_queued">(put_number<"rules_without_counter">(rules, b.rules_without_counter),
                                       b.rules_queued),
            b.bypassed));
    });
    const LogStats& l = snapshot.log;
    const auto written = put_unsigned(put_literal<R"(,"log":{"written":)">(bypass), l.written);
    const auto dropped = put_number<"dropped_write_error">(
        put_number<"dropped_too_long">(put_number<"dropped_queue_full">(written, l.dropped_queue_full),
                                       l.dropped_too_long),
        l.dropped_write_error);
    const auto rest = put_number<"reopens">(
        put_number<"write_errors">(put_number<"suppressed">(dropped, l.suppressed), l.write_errors), l.reopens);
    const auto log_end = put_char<'}'>(rest);
    const auto captures =
        log::when(snapshot.capture.has_value(), log_end, [&](auto o) { return put_capture(o, *snapshot.capture); });
    return put_literal<R"(,"rules":{)">(captures);
}

// Matches per rule id, since the start: "<rule id>":N.
template <std::size_t N>
auto put_rule(Out<N> out, const RuleStats& rule, bool first) noexcept {
    const auto key = put_char<':'>(log::put_escaped_string<log::kRuleIdMax>(put_separator(out, first), rule.id));
    return put_unsigned(key, rule.matches);
}

template <std::size_t N>
auto put_limiter(Out<N> out, const LimiterStats& limiter, bool first) noexcept {
    const auto key =
        put_char<':'>(log::put_escaped_string<log::kLimiterNameMax>(put_separator(out, first), limiter.name));
    const auto entries = put_unsigned(put_literal<R"({"entries":)">(key), limiter.entries);
    return put_char<'}'>(
        put_number<"rate_limited">(put_number<"evictions">(entries, limiter.evictions), limiter.rate_limited));
}

// The policy and the line's end: stats.icmpgate and stats close, then the log format version.
template <std::size_t N>
auto put_policy_and_end(Out<N> out, const PolicyStats& policy) noexcept {
    const auto digest =
        log::put_escaped_string<log::kPolicyDigestMax>(put_literal<R"(},"policy":{"digest":)">(out), policy.digest);
    const auto reloads = put_number<"reloads_failed">(put_number<"reloads_succeeded">(digest, policy.reloads_succeeded),
                                                      policy.reloads_failed);
    const auto last = log::put_bool(put_key<"last_reload_successful">(reloads), policy.last_reload_successful);
    return put_char<'}'>(log::put_log_version_member(put_literal<"}}}">(last)));
}

}  // namespace

std::string format_stats_event(const StatsSnapshot& snapshot, std::size_t max_bytes) {
    const QueueStats total = queue_totals(snapshot);
    log::GrowingLine line;
    line.append([&](Out<0> out) { return put_head(out, snapshot, total); });
    for (std::size_t i = 0; i < snapshot.queues.size(); ++i)
        line.append([&](Out<0> out) { return put_queue(out, snapshot.queues[i], i == 0); });
    line.append([&](Out<0> out) { return put_bypass_and_log(out, snapshot); });
    for (std::size_t i = 0; i < snapshot.rules.size(); ++i)
        line.append([&](Out<0> out) { return put_rule(out, snapshot.rules[i], i == 0); });
    line.append([](Out<0> out) { return put_literal<R"(},"limiters":{)">(out); });
    for (std::size_t i = 0; i < snapshot.limiters.size(); ++i)
        line.append([&](Out<0> out) { return put_limiter(out, snapshot.limiters[i], i == 0); });
    line.append([&](Out<0> out) { return put_policy_and_end(out, snapshot.policy); });
    if (line.text().size() > max_bytes) return {};
    return line.take();
}

}  // namespace icmpgate::metrics
