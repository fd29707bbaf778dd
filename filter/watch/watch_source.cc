#include "filter/watch/watch_source.h"

#include "filter/replay/frame_input.h"

namespace icmpgate::watch {
namespace {
// Frames per read: one batch for the sinks (the log writer is woken once per batch).
constexpr std::size_t kFramesPerBatch = 64;
}  // namespace

WatchSource::WatchSource(FrameSource& source, pipeline::ActivePolicy& policy, WatchCounters& counters,
                         const std::string& interface, std::int64_t (*clock)() noexcept)
    : source_{source},
      policy_{policy},
      counters_{counters},
      interface_{interface == "any" ? decode::InterfaceName{} : decode::InterfaceName::from(interface)},
      clock_{clock},
      pipeline_{counters.verdicts},
      link_type_{source.link_type()} {}

bool WatchSource::run(const std::atomic<bool>& stop) noexcept {
    bool ok = true;
    while (!stop.load(std::memory_order_relaxed)) {
        batch_open_ = false;
        const int n = source_.read(kFramesPerBatch, *this);
        if (n < 0) {
            ok = false;
            break;
        }
        // No frame: the sinks still see the time pass (a --log-rate window ends, its summary is written).
        if (!batch_open_) pipeline_.begin_batch(policy_, clock_());
        pipeline_.end_batch();
    }
    pipeline_.finish();
    pipeline_.end_batch();
    return ok;
}

void WatchSource::frame(const replay::Frame& frame) noexcept {
    // The batch's time is its first frame's.
    if (!batch_open_) pipeline_.begin_batch(policy_, frame.time_ns);
    batch_open_ = true;
    counters_.frames.add();
    pipeline::PacketInput input = replay::frame_input(link_type_, frame);
    if (!input.carries_ip) counters_.not_ip.add();
    input.meta.in_interface = interface_;
    (void)pipeline_.process(input);
}

}  // namespace icmpgate::watch
