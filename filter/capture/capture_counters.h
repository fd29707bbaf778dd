#pragma once
// What the evidence captures (--capture) count: one table with every output's name for each
// counter (the stats event's key under stats.icmpgate.capture, the Prometheus family, its label
// and help, the exit summary's words), as pipeline::kSourceCounters does for the sources. The
// sinks count what their queue refused (one counter per packet thread); the writer thread counts
// the rest. Adding a counter is an enumerator, a row and the add() where it happens; the stats
// event, the metrics file and the summary follow.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace icmpgate::capture {

enum class CaptureCounter : std::uint8_t {
    written,              // packets written to a capture file
    dropped_queue_full,   // selected, but the queue to the writer was full: never written
    dropped_write_error,  // selected and queued, but their write failed (disk full, I/O error)
    write_errors,         // failed writes (each loses the packets written with it)
    files_opened,         // capture files started
    files_removed,        // oldest files removed to keep at most --capture-files
    count_
};
inline constexpr std::size_t kCaptureCounterCount = static_cast<std::size_t>(CaptureCounter::count_);

struct CaptureCounterInfo {
    CaptureCounter counter;
    std::string_view stats_key;     // stats.icmpgate.capture.<key>
    std::string_view summary_text;  // the exit summary's "capture:" line
    std::string_view metric_name;   // Prometheus family; rows of one family are adjacent
    std::string_view metric_label;  // the family's "reason" label value, "" for a family of one series
    std::string_view metric_help;
};

inline constexpr std::array<CaptureCounterInfo, kCaptureCounterCount> kCaptureCounters{{
    {CaptureCounter::written, "written", "written", "icmpgate_capture_packets_written_total", "",
     "Packets written to the evidence capture files."},
    {CaptureCounter::dropped_queue_full, "dropped_queue_full", "dropped (queue full)",
     "icmpgate_capture_packets_dropped_total", "queue-full",
     "Packets selected for the evidence captures but not written, by reason."},
    {CaptureCounter::dropped_write_error, "dropped_write_error", "lost to write errors",
     "icmpgate_capture_packets_dropped_total", "write-error",
     "Packets selected for the evidence captures but not written, by reason."},
    {CaptureCounter::write_errors, "write_errors", "failed writes", "icmpgate_capture_write_errors_total", "",
     "Failed writes to the evidence capture files."},
    {CaptureCounter::files_opened, "files_opened", "files opened", "icmpgate_capture_files_opened_total", "",
     "Evidence capture files started."},
    {CaptureCounter::files_removed, "files_removed", "files removed", "icmpgate_capture_files_removed_total", "",
     "Oldest evidence capture files removed to keep --capture-files."},
}};

static_assert(
    [] {
        for (std::size_t i = 0; i < kCaptureCounterCount; ++i) {
            const CaptureCounterInfo& row = kCaptureCounters[i];
            if (static_cast<std::size_t>(row.counter) != i || row.stats_key.empty() || row.summary_text.empty())
                return false;
            if (!row.metric_name.ends_with("_total") || row.metric_help.empty()) return false;
            for (std::size_t j = i + 1; j < kCaptureCounterCount; ++j) {
                const CaptureCounterInfo& other = kCaptureCounters[j];
                if (row.stats_key == other.stats_key) return false;
                // One family: adjacent rows, each with its own label value, the same help.
                if (row.metric_name == other.metric_name &&
                    (j != i + 1 || row.metric_label.empty() || row.metric_label == other.metric_label ||
                     row.metric_help != other.metric_help))
                    return false;
            }
        }
        return true;
    }(),
    "kCaptureCounters: one row per CaptureCounter, in enum order, unique keys, families adjacent and labelled");

[[nodiscard]] constexpr const CaptureCounterInfo& capture_counter_info(CaptureCounter c) noexcept {
    return kCaptureCounters[static_cast<std::size_t>(c)];
}

// A plain copy of the capture counters (snapshots, summaries).
struct CaptureCounts {
    std::array<std::uint64_t, kCaptureCounterCount> values{};
    [[nodiscard]] std::uint64_t operator[](CaptureCounter c) const noexcept {
        return values[static_cast<std::size_t>(c)];
    }
    [[nodiscard]] std::uint64_t& operator[](CaptureCounter c) noexcept { return values[static_cast<std::size_t>(c)]; }
};

}  // namespace icmpgate::capture
