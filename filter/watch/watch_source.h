#pragma once
// `icmpgate watch`: a live interface as a source of the packet pipeline. Frames come from a
// FrameSource (live_capture.h), go through the link layer code replay uses (frame_input.h) and
// then decode -> decide -> counters -> sinks like every other source's packets; nobody takes the
// verdicts. Each read of the source is one batch; the limiter clock is each frame's capture time
// (the kernel's realtime stamp), as in replay, and the records carry it. The watched interface is
// the packets' in_interface: libpcap does not say which way a frame went.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "filter/decode/packet_meta.h"
#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/counter.h"
#include "filter/pipeline/pipeline.h"
#include "filter/watch/frame_source.h"

namespace icmpgate::watch {

// What the watch counts beside the pipeline's verdict counters.
struct WatchCounters {
    pipeline::VerdictCounters verdicts;
    pipeline::Counter frames;  // frames taken from the source
    pipeline::Counter not_ip;  // of those, frames whose link layer held no IP packet (counted as not-icmp too)
};

class WatchSource final : FrameHandler {
public:
    // `interface` names the packets' in_interface ("" or "any": none). `clock` gives the batch
    // time the sinks see when a read brings no frame (CLOCK_REALTIME, ns: the frames' clock).
    WatchSource(FrameSource& source, pipeline::ActivePolicy& policy, WatchCounters& counters,
                const std::string& interface, std::int64_t (*clock)() noexcept);

    void add_sink(pipeline::PacketSink& sink) { pipeline_.add_sink(sink); }

    // Reads until `stop` is true (looked at after every read: at most the source's poll interval)
    // or the source fails; then the sinks finish. False when the source failed.
    [[nodiscard]] bool run(const std::atomic<bool>& stop) noexcept;

private:
    void frame(const replay::Frame& frame) noexcept override;

    FrameSource& source_;
    pipeline::ActivePolicy& policy_;
    WatchCounters& counters_;
    decode::InterfaceName interface_;
    std::int64_t (*clock_)() noexcept;
    pipeline::Pipeline pipeline_;
    int link_type_;
    bool batch_open_{false};
};

}  // namespace icmpgate::watch
