#pragma once
// Replay: a capture file as a source of the packet pipeline (filter/pipeline/pipeline.h). Every
// frame goes through the same decode -> decide -> counters -> sinks path as the daemon's packets,
// with the capture's timestamps as the clock (so rate limiting and log suppression are
// reproducible), in order, one frame per batch. Nobody takes the verdicts.

#include <span>
#include <string>
#include <string_view>

#include "filter/pipeline/packet_sink.h"
#include "filter/pipeline/pipeline.h"
#include "filter/pipeline/record_sink.h"
#include "filter/pipeline/verdict_counters.h"
#include "filter/replay/pcap_source.h"
#include "rules/compiled_policy.h"

namespace icmpgate::replay {

using RecordSink = pipeline::RecordSink;

struct ReplayOutcome {
    bool ok{false};
    std::string error;               // why the replay stopped early (unsupported link type, damaged file)
    pipeline::VerdictCounts counts;  // what was replayed before any error; frames = counts.total()
};

// `pcap_filename` is what the records name as the capture (replay logs the base name). The
// sinks see every frame, then finish() at the end (also after an error). With
// Enforcement::monitor (replay --monitor), as the daemon's run --monitor: every frame accepted,
// the policy's decision the would-be.
[[nodiscard]] ReplayOutcome replay_capture(const rules::CompiledPolicy& policy, PcapSource& source,
                                           std::string_view pcap_filename, std::span<pipeline::PacketSink* const> sinks,
                                           pipeline::Enforcement enforcement = pipeline::Enforcement::enforce);
// The same with one sink.
[[nodiscard]] ReplayOutcome replay_capture(const rules::CompiledPolicy& policy, PcapSource& source,
                                           std::string_view pcap_filename, pipeline::PacketSink& sink,
                                           pipeline::Enforcement enforcement = pipeline::Enforcement::enforce);

}  // namespace icmpgate::replay
