#pragma once
// The verdict log as a sink: for each packet, "log": false rules are skipped, --log-rate
// suppression (a LogSuppressor shared by the threads) thins floods per (rule, reason), and the
// rest become one EVE line each (log::JsonLine, through a LineOutput). When a suppression window
// ends with lines suppressed, its log_suppressed summary is written before the next line, at the
// start of a batch, or when the source ends (finish()). The daemon and replay use this same sink,
// so they log and suppress alike; replay suppresses only when asked (--log-rate).
//
// Times: lines carry the packet's own time (replay: the capture time), or, given a wall clock,
// the wall-clock time read once per batch at its first line (the daemon: the limiter clock is
// monotonic and is not a date).

#include <cstdint>
#include <optional>

#include "filter/log/ip_text.h"
#include "filter/log/json_line.h"
#include "filter/log/log_suppressor.h"
#include "filter/pipeline/counter.h"
#include "filter/pipeline/line_output.h"
#include "filter/pipeline/packet_sink.h"

namespace icmpgate::pipeline {

// One thread's log counters.
struct LogSinkCounters {
    Counter suppressed;  // lines --log-rate held back (each one is in a log_suppressed summary)
    Counter refused;     // lines the output refused (the log writer's buffer was full)
};

// The clock --log-rate's windows are counted on.
enum class SuppressionClock : std::uint8_t {
    packet_time,       // the packets' own clock as it is (the daemon's monotonic clock, shared by its threads)
    from_first_batch,  // time since this sink's first batch: capture times are dates, past the range of
                       // the suppressor's window start (2^40 ms from the clock's zero); replay's, whose
                       // one sink owns its suppressor (a shared suppressor needs one clock for all)
};

struct EveLogOptions {
    log::LogSuppressor* suppressor{nullptr};  // null: every line is written
    SuppressionClock suppression_clock{SuppressionClock::packet_time};
    std::optional<std::uint16_t> community_id_seed;  // EVE's community_id with this seed
    log::Ipv6Text ipv6_text{log::Ipv6Text::rfc5952};
    // Null: lines carry the packet's time. Else read at a batch's first line (CLOCK_REALTIME, ns).
    std::int64_t (*wall_clock)() noexcept {nullptr};
};

class EveLogSink final : public PacketSink {
public:
    EveLogSink(LineOutput& output, LogSinkCounters& counters, const EveLogOptions& options) noexcept
        : output_{output}, counters_{counters}, options_{options} {}

    void begin_batch(std::int64_t now_ns, const rules::CompiledPolicy& policy) noexcept override;
    void on_packet(const PacketEvent& event) noexcept override;
    void end_batch() noexcept override { output_.end_batch(); }
    // The summaries of every window that still holds suppressed lines (this sink's suppressor is
    // shared: each summary is written once, by whichever sink takes it).
    void finish(const rules::CompiledPolicy& policy) noexcept override;

private:
    void write_summary(const log::SuppressionSummary& summary, const rules::CompiledPolicy& policy) noexcept;
    void submit(std::string_view line) noexcept;
    [[nodiscard]] std::int64_t batch_time() noexcept;
    [[nodiscard]] std::int64_t suppression_time(std::int64_t packet_ns) const noexcept {
        return packet_ns - suppression_origin_ns_;
    }

    LineOutput& output_;
    LogSinkCounters& counters_;
    EveLogOptions options_;
    log::JsonLine line_;
    std::int64_t batch_now_ns_{0};
    std::int64_t batch_wall_ns_{-1};  // the wall clock of this batch; -1 = not read yet
    std::int64_t suppression_origin_ns_{0};
    bool batch_seen_{false};
};

}  // namespace icmpgate::pipeline
