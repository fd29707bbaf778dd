#pragma once
// A small snapshot with distinct values in every field, shared by the formatter tests.

#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::metrics::test {

inline constexpr std::int64_t kStart = 1'700'000'000'000'000'000;  // 2023-11-14T22:13:20Z
inline constexpr std::int64_t kNow = kStart + 125'500'000'000;     // 125.5 s later

inline StatsSnapshot sample_snapshot() {
    StatsSnapshot s;
    s.time_unix_ns = kNow;
    s.start_unix_ns = kStart;
    s.version = "1.2.3";
    using pipeline::SourceCounter;
    constexpr std::size_t kAccept = 0;
    constexpr std::size_t kDrop = 1;
    auto reason = [](verdict::Reason r) { return static_cast<std::size_t>(r); };
    QueueStats q0;
    q0.queue = 4;
    q0.counts[SourceCounter::received] = 10;
    q0.counts[SourceCounter::accepted] = 7;
    q0.counts[SourceCounter::dropped] = 3;
    q0.counts[SourceCounter::enobufs] = 1;
    q0.counts[SourceCounter::malformed] = 2;
    q0.counts[SourceCounter::verdict_send_errors] = 5;
    q0.verdicts.by_reason[kAccept][reason(verdict::Reason::rule)] = 6;
    q0.verdicts.by_reason[kAccept][reason(verdict::Reason::default_verdict)] = 1;
    q0.verdicts.by_reason[kDrop][reason(verdict::Reason::rate_limit)] = 2;
    q0.verdicts.by_reason[kDrop][reason(verdict::Reason::anomaly)] = 1;
    q0.verdicts.by_anomaly[static_cast<std::size_t>(decode::Anomaly::bad_checksum)] = 1;
    q0.verdicts.by_family[kAccept] = {5, 2};  // ipv4, ipv6
    q0.verdicts.by_family[kDrop] = {3, 0};
    q0.kernel = KernelQueueStats{.queue = 4, .waiting = 8, .queue_dropped = 9, .user_dropped = 11};
    // Monitor mode (would-be outcomes, apart from the verdicts above): 4 would-be rule drops and
    // one by the fragment anomaly.
    q0.verdicts.would_be_by_reason[kDrop][reason(verdict::Reason::rule)] = 4;
    q0.verdicts.would_be_by_reason[kDrop][reason(verdict::Reason::anomaly)] = 1;
    q0.verdicts.would_be_by_anomaly[static_cast<std::size_t>(decode::Anomaly::fragment)] = 1;
    QueueStats q1;
    q1.queue = 5;
    q1.counts[SourceCounter::received] = 1;
    q1.counts[SourceCounter::accepted] = 1;
    q1.verdicts.by_reason[kAccept][reason(verdict::Reason::rule)] = 1;
    q1.verdicts.by_family[kAccept] = {0, 1};
    q1.verdicts.would_be_by_reason[kDrop][reason(verdict::Reason::rule)] = 2;
    q1.verdicts.would_be_by_reason[kAccept][reason(verdict::Reason::default_verdict)] = 3;
    s.queues = {q0, q1};
    s.bypass = BypassStats{.queue_rules = 2, .rules_without_counter = 1, .rules_queued = 1500, .bypassed = 290};
    s.rules = {{"allow-echo", 7}, {"we\"ird\\id\n", 1}};
    s.limiters = {{"per-source", 12, 3, 2}, {"global-errors", 1, 0, 0}};
    s.log = {.enabled = true,
             .written = 100,
             .dropped_queue_full = 4,
             .dropped_too_long = 0,
             .dropped_write_error = 6,
             .suppressed = 13,
             .write_errors = 2,
             .reopens = 1};
    s.policy = {.digest = "sha256:abcd",
                .reloads_succeeded = 2,
                .reloads_failed = 1,
                .last_reload_successful = false,
                .last_success_unix_ns = kStart + 60'250'000'000};
    return s;
}

}  // namespace icmpgate::metrics::test
