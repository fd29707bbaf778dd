#include "filter/replay/pcap_replay.h"

#include <array>
#include <memory>

#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/pipeline.h"
#include "filter/replay/frame_input.h"
#include "filter/replay/link_layer.h"

namespace icmpgate::replay {
namespace {

// Replay wants reproducible limiter tables (rate_limiter.h).
constexpr std::uint64_t kReplayHashSeed = 0;

// One frame as the pipeline's input (frame_input.h), named by its number and the file.
pipeline::PacketInput numbered_frame_input(int link_type, const Frame& frame, std::uint64_t frame_number,
                                           std::string_view pcap_filename) noexcept {
    pipeline::PacketInput input = frame_input(link_type, frame);
    input.origin.capture = log::ReplayContext{frame_number, pcap_filename};
    return input;
}

}  // namespace

ReplayOutcome replay_capture(const rules::CompiledPolicy& policy, PcapSource& source, std::string_view pcap_filename,
                             std::span<pipeline::PacketSink* const> sinks, pipeline::Enforcement enforcement) {
    ReplayOutcome outcome;
    const int link_type = source.link_type();
    if (!is_supported_link_type(link_type)) {
        const std::string name = link_type_name(link_type);
        outcome.error = "unsupported link type " + std::to_string(link_type) +
                        (name.empty() ? std::string{} : " (" + name + ")") +
                        "; replay reads Ethernet, Linux cooked (SLL, SLL2), raw IP, loopback and PPP captures";
        return outcome;
    }

    // The policy is the caller's; the active policy shares it without owning it.
    pipeline::ActivePolicy active{std::shared_ptr<const rules::CompiledPolicy>{std::shared_ptr<void>{}, &policy},
                                  kReplayHashSeed};
    pipeline::VerdictCounters counters;
    pipeline::Pipeline pipeline{counters, enforcement};
    for (pipeline::PacketSink* sink : sinks) pipeline.add_sink(*sink);

    std::uint64_t frame_number = 0;
    for (;;) {
        const ReadResult read = source.next();
        if (read.status == ReadStatus::end) {
            outcome.ok = true;
            break;
        }
        if (read.status == ReadStatus::error) {
            outcome.error = "cannot read frame " + std::to_string(frame_number + 1) + ": " + source.error_message();
            break;
        }
        ++frame_number;
        pipeline.begin_batch(active, read.frame.time_ns);
        (void)pipeline.process(numbered_frame_input(link_type, read.frame, frame_number, pcap_filename));
        pipeline.end_batch();
    }
    pipeline.finish();
    outcome.counts = counters.snapshot();
    return outcome;
}

ReplayOutcome replay_capture(const rules::CompiledPolicy& policy, PcapSource& source, std::string_view pcap_filename,
                             pipeline::PacketSink& sink, pipeline::Enforcement enforcement) {
    const std::array<pipeline::PacketSink*, 1> sinks{&sink};
    return replay_capture(policy, source, pcap_filename, sinks, enforcement);
}

}  // namespace icmpgate::replay
