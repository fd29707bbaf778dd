#pragma once
// A point-in-time copy of every counter the daemon keeps, taken off the packet path by the
// signal thread. The periodic EVE "stats" event and the Prometheus textfile are both formatted
// from it, so the log and the metrics always carry the same numbers.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filter/capture/capture_counters.h"
#include "filter/decode/anomaly.h"
#include "filter/pipeline/source_counters.h"
#include "filter/pipeline/verdict_counters.h"

namespace icmpgate::metrics {

// The kernel's view of one queue (/proc/net/netfilter/nfnetlink_queue).
struct KernelQueueStats {
    std::uint16_t queue{0};
    std::uint64_t waiting{0};        // queue_total: packets waiting for a verdict now
    std::uint64_t queue_dropped{0};  // dropped (or bypassed) because the queue was full
    std::uint64_t user_dropped{0};   // dropped because the netlink message could not be sent to us
};

struct QueueStats {
    std::uint16_t queue{0};
    pipeline::SourceCounts counts;           // the queue source's own (pipeline::kSourceCounters)
    pipeline::VerdictCounts verdicts;        // decisions by verdict and reason, family, anomaly
    std::optional<KernelQueueStats> kernel;  // absent when /proc has no line
};

// The firewall's queue rules against what reached the daemon (bypass_account.h): packets the rules
// sent to this daemon's queues since it started and, of those, packets the kernel accepted
// uninspected (fail-open on a full queue or socket buffer, or no listener) that no kernel counter
// shows. Absent when the rules' counters cannot be read.
struct BypassStats {
    std::uint32_t queue_rules{0};            // rules that send to our queues
    std::uint32_t rules_without_counter{0};  // of those, rules without a counter (not counted)
    std::uint64_t rules_queued{0};
    std::uint64_t bypassed{0};
};

struct LimiterStats {
    std::string name;
    std::uint64_t entries{0};
    std::uint64_t evictions{0};
    std::uint64_t rate_limited{0};  // packets dropped because this limiter had no token
};

struct RuleStats {
    std::string id;
    std::uint64_t matches{0};
};

struct LogStats {
    bool enabled{false};
    std::uint64_t written{0};
    std::uint64_t dropped_queue_full{0};
    std::uint64_t dropped_too_long{0};
    std::uint64_t dropped_write_error{0};
    std::uint64_t suppressed{0};
    std::uint64_t write_errors{0};
    std::uint64_t reopens{0};
};

struct PolicyStats {
    std::string digest;
    std::uint64_t reloads_succeeded{0};
    std::uint64_t reloads_failed{0};
    bool last_reload_successful{true};
    std::int64_t last_success_unix_ns{0};  // the start-up load counts as the first success
};

struct StatsSnapshot {
    std::int64_t time_unix_ns{0};
    std::int64_t start_unix_ns{0};
    std::string version;
    std::vector<QueueStats> queues;
    std::optional<BypassStats> bypass;
    std::vector<RuleStats> rules;
    std::vector<LimiterStats> limiters;
    LogStats log;
    std::optional<capture::CaptureCounts> capture;  // the evidence captures' (absent without --capture)
    PolicyStats policy;
};

// Sums over queues.
[[nodiscard]] QueueStats queue_totals(const StatsSnapshot& snapshot);

}  // namespace icmpgate::metrics
