#pragma once
// The packet pipeline every source calls (docs/architecture.md, "The packet pipeline"):
//
//   source -> PacketInput -> decode -> decide -> counters -> sinks -> Decision back to the source
//
// The NFQUEUE worker (filter/nfq) gives the returned verdict to the kernel; replay
// (filter/replay) has nobody to give it to. Both count and log through the same code: the
// verdict counters, the rule hits, and whatever sinks they were given (the EVE line writer with
// its --log-rate suppression, the replay table). One Pipeline per thread: its counters are that
// thread's; the policy (with its limiters and rule hits) and a suppressor may be shared.
//
// Per packet: no allocation, no lock beyond the limiters' own, one indirect call per sink
// (measured in docs/performance.md: the daemon has one sink).

#include <array>
#include <cstddef>
#include <cstdint>

#include "filter/decode/decode.h"
#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/packet_input.h"
#include "filter/pipeline/packet_sink.h"
#include "filter/pipeline/verdict_counters.h"
#include "filter/verdict/decision.h"
#include "filter/verdict/engine.h"

namespace icmpgate::pipeline {

// Whether the pipeline enforces the policy's verdicts or, in monitor mode (run --monitor,
// replay --monitor), accepts every packet and keeps the policy's decision as the would-be
// (verdict::monitored). Fixed for the pipeline's life: a reload changes the policy, not this.
enum class Enforcement : std::uint8_t { enforce, monitor };

class Pipeline {
public:
    static constexpr std::size_t kMaxSinks = 4;

    explicit Pipeline(VerdictCounters& counters, Enforcement enforcement = Enforcement::enforce) noexcept
        : counters_{counters}, monitor_{enforcement == Enforcement::monitor} {}

    // Adds a sink (called in the order added); throws std::length_error past kMaxSinks. The sink
    // must outlive the pipeline.
    void add_sink(PacketSink& sink);

    // Before a batch's packets: the policy they are decided with and the batch's clock.
    void begin_batch(ActivePolicy& policy, std::int64_t now_ns);
    // decode -> decide -> counters -> sinks; returns the decision for the source's verdict.
    // Inline: the source's per-packet code and this one compile as one function.
    verdict::Decision process(const PacketInput& input) {
        ActivePolicy& active = *policy_;
        const decode::DecodedPacket packet =
            input.carries_ip ? decode::decode_packet(input.l3, input.decode) : decode::DecodedPacket{};
        verdict::Decision decision = verdict::decide(*active.policy, packet, input.meta, active.limiters);
        if (monitor_) decision = verdict::monitored(decision);
        counters_.count(packet, decision);
        // A rule's hits: the packets it decided and those it would have decided (monitor mode).
        if (decision.rule) active.rule_hits[*decision.rule].fetch_add(1, std::memory_order_relaxed);
        if (decision.would_be && decision.would_be->rule) [[unlikely]]
            active.rule_hits[*decision.would_be->rule].fetch_add(1, std::memory_order_relaxed);
        const PacketEvent event{input, packet, decision, *active.policy};
        for (std::size_t i = 0; i < sink_count_; ++i) sinks_[i]->on_packet(event);
        return decision;
    }
    // After the batch's verdicts went back to the source.
    void end_batch();
    // Once, when the source has ended (after the last end_batch()).
    void finish();

private:
    VerdictCounters& counters_;
    bool monitor_;
    ActivePolicy* policy_{nullptr};
    std::array<PacketSink*, kMaxSinks> sinks_{};
    std::size_t sink_count_{0};
};

}  // namespace icmpgate::pipeline
