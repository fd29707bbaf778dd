#pragma once
// The evidence captures as a sink of the packet pipeline (--capture): each packet whose verdict
// --capture-verdicts selects (drops, or all), with a comment that says what its verdict record
// says (capture_comment.h), is copied into this thread's queue to the capture writer
// (capture_writer.h). Per packet: no allocation, no lock, no system call; a full queue refuses
// the packet and counts it. The writer comes by itself every kWritePeriod; after a batch's
// verdicts (end_batch) a queue past a quarter of its capacity wakes it early.
//
// Every selected packet is captured, whatever its rule's "log" setting and --log-rate say: the
// captures are evidence of verdicts, bounded by their queue, not by the log's budget.

#include <array>
#include <cstdint>
#include <optional>

#include "filter/capture/capture_comment.h"
#include "filter/capture/capture_queue.h"
#include "filter/pipeline/packet_sink.h"

namespace icmpgate::capture {

class CaptureWriter;

enum class CaptureSelection : std::uint8_t {
    drop,  // packets dropped (or, in monitor mode, that the policy would have dropped)
    all,   // every packet
};

// The verdict a packet is captured under: the one its record logs (verdict.action), and, in
// monitor mode, the verdict the policy would have given.
struct CapturedVerdict {
    rules::Verdict verdict{rules::Verdict::accept};
    std::optional<rules::Verdict> would_be;  // monitor mode; unset when the verdict was enforced
    [[nodiscard]] bool dropped() const noexcept {
        return verdict == rules::Verdict::drop || would_be == rules::Verdict::drop;
    }
};

// The verdict given and, in monitor mode (run --monitor, or a rule in "mode": "monitor" that
// matched), the would-be verdict: a would-be drop is captured under --capture-verdicts drop and
// its comment says would_be=drop.
[[nodiscard]] CapturedVerdict captured_verdict(const pipeline::PacketEvent& event) noexcept;

struct CaptureSinkOptions {
    CaptureSelection selection{CaptureSelection::drop};
    // Null: packets carry their own time (watch, replay: the capture time). Else read once per
    // batch, at its first captured packet (the daemon: its packet clock is monotonic, not a date).
    std::int64_t (*wall_clock)() noexcept {nullptr};
};

class CaptureSink final : public pipeline::PacketSink {
public:
    // `writer` is woken after batches that queued packets; `queue` is this thread's own.
    CaptureSink(CaptureQueue& queue, CaptureWriter& writer, const CaptureSinkOptions& options) noexcept
        : queue_{queue}, writer_{writer}, options_{options} {}

    void begin_batch(std::int64_t now_ns, const rules::CompiledPolicy& policy) noexcept override;
    void on_packet(const pipeline::PacketEvent& event) noexcept override;
    void end_batch() noexcept override;

    // end_batch() wakes the writer when the queue holds capacity / kWakeAtFraction bytes or more.
    static constexpr std::size_t kWakeAtFraction = 4;

private:
    CaptureQueue& queue_;
    CaptureWriter& writer_;
    CaptureSinkOptions options_;
    std::array<char, kCommentMax> comment_{};
    std::int64_t batch_wall_ns_{-1};  // this batch's wall clock; -1 = not read yet
    bool queued_{false};              // records queued since the writer was last woken
};

}  // namespace icmpgate::capture
