#pragma once
// What a source counts itself, beside the pipeline's verdict counters: one table with every
// output's name for each counter (the stats event's key, the Prometheus family and its help, the
// exit summary's words), in the order the outputs list them. Adding a counter is an enumerator,
// a row, and the add() where it happens; the stats event, the metrics file and the summary
// follow (filter/metrics, filter/app/daemon_summary.cc).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "filter/pipeline/counter.h"

namespace icmpgate::pipeline {

enum class SourceCounter : std::uint8_t {
    received,             // packet messages the source took from the kernel
    accepted,             // verdicts given back: accept
    dropped,              // verdicts given back: drop
    enobufs,              // the kernel could not deliver to us (socket buffer full): occurrences
    malformed,            // messages without a packet id: no verdict possible
    verdict_send_errors,  // verdict sends the kernel refused
    count_
};
inline constexpr std::size_t kSourceCounterCount = static_cast<std::size_t>(SourceCounter::count_);

struct SourceCounterInfo {
    SourceCounter counter;
    std::string_view stats_key;     // stats.icmpgate.packets.<key> and stats.icmpgate.queues[].<key>
    std::string_view summary_text;  // the exit summary's "queue N:" line
    // Prometheus family (with a queue label), "" when another family carries the count
    // (accepted and dropped are icmpgate_packets_total's verdict label).
    std::string_view metric_name;
    std::string_view metric_help;
};

inline constexpr std::array<SourceCounterInfo, kSourceCounterCount> kSourceCounters{{
    {SourceCounter::received, "received", "received", "icmpgate_packets_received_total",
     "Packets received from the kernel's queue."},
    {SourceCounter::accepted, "accepted", "accepted", "", ""},
    {SourceCounter::dropped, "dropped", "dropped", "", ""},
    {SourceCounter::enobufs, "enobufs", "enobufs", "icmpgate_nfqueue_enobufs_total",
     "Times the kernel could not deliver queued packets to us (socket receive buffer full)."},
    {SourceCounter::malformed, "malformed", "malformed", "icmpgate_malformed_messages_total",
     "Queue messages that could not be parsed (no verdict possible)."},
    {SourceCounter::verdict_send_errors, "verdict_send_errors", "verdict send errors",
     "icmpgate_verdict_send_errors_total", "Verdict messages the kernel refused."},
}};

static_assert(
    [] {
        for (std::size_t i = 0; i < kSourceCounterCount; ++i) {
            const SourceCounterInfo& row = kSourceCounters[i];
            if (static_cast<std::size_t>(row.counter) != i || row.stats_key.empty() || row.summary_text.empty())
                return false;
            if (row.metric_name.empty() != row.metric_help.empty()) return false;
            if (!row.metric_name.empty() && !row.metric_name.ends_with("_total")) return false;  // counters
            for (std::size_t j = i + 1; j < kSourceCounterCount; ++j)
                if (row.stats_key == kSourceCounters[j].stats_key ||
                    (!row.metric_name.empty() && row.metric_name == kSourceCounters[j].metric_name))
                    return false;
        }
        return true;
    }(),
    "kSourceCounters: one row per SourceCounter, in enum order, names unique, every metric a _total counter with help");

[[nodiscard]] constexpr const SourceCounterInfo& source_counter_info(SourceCounter c) noexcept {
    return kSourceCounters[static_cast<std::size_t>(c)];
}

// A plain copy of one source's counters (snapshots, sums).
struct SourceCounts {
    std::array<std::uint64_t, kSourceCounterCount> values{};
    [[nodiscard]] std::uint64_t operator[](SourceCounter c) const noexcept {
        return values[static_cast<std::size_t>(c)];
    }
    [[nodiscard]] std::uint64_t& operator[](SourceCounter c) noexcept { return values[static_cast<std::size_t>(c)]; }
    SourceCounts& operator+=(const SourceCounts& other) noexcept {
        for (std::size_t i = 0; i < kSourceCounterCount; ++i) values[i] += other.values[i];
        return *this;
    }
};

// One source thread's counters (single writer).
class SourceCounters {
public:
    void add(SourceCounter c) noexcept { counters_[static_cast<std::size_t>(c)].add(); }
    [[nodiscard]] std::uint64_t get(SourceCounter c) const noexcept {
        return counters_[static_cast<std::size_t>(c)].get();
    }
    [[nodiscard]] SourceCounts snapshot() const noexcept {
        SourceCounts s;
        for (std::size_t i = 0; i < kSourceCounterCount; ++i) s.values[i] = counters_[i].get();
        return s;
    }

private:
    std::array<Counter, kSourceCounterCount> counters_;
};

}  // namespace icmpgate::pipeline
