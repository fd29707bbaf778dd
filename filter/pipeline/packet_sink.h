#pragma once
// A pipeline's sinks: each packet's outcome goes to every sink after the counters. The EVE line
// writer (eve_log_sink.h), the replay table and record collectors (record_sink.h) are sinks; a new
// output (a capture of what was dropped, a comparison of two policies) is one more class here
// and one add_sink() call where the source is set up, not a change to any source.
//
// Batches: a source calls begin_batch() before the packets that share one clock reading and one
// policy (a receive batch of the queue, a frame of a capture) and end_batch() after them, once
// their verdicts went back to the source; finish() once when the source ends. A sink that writes
// for a batch (a log writer's wake-up) does it in end_batch(), after the verdicts.
//
// A sink must not throw on the daemon's path (its own failures are counted, as the log writer's
// are); a sink of a command-line tool may.

#include <cstdint>

#include "filter/decode/decoded_packet.h"
#include "filter/pipeline/packet_input.h"
#include "filter/verdict/decision.h"
#include "rules/compiled_policy.h"

namespace icmpgate::pipeline {

// One packet's outcome, as every sink sees it. Views: valid during on_packet() only.
struct PacketEvent {
    const PacketInput& input;
    const decode::DecodedPacket& packet;
    const verdict::Decision& decision;
    const rules::CompiledPolicy& policy;
};

class PacketSink {
public:
    virtual ~PacketSink() = default;
    PacketSink(const PacketSink&) = delete;
    PacketSink& operator=(const PacketSink&) = delete;

    // `now_ns` is the batch's limiter clock (the monotonic clock in the daemon, the frame's
    // capture time in replay).
    virtual void begin_batch(std::int64_t now_ns, const rules::CompiledPolicy& policy) {
        (void)now_ns;
        (void)policy;
    }
    virtual void on_packet(const PacketEvent& event) = 0;
    virtual void end_batch() {}
    // The source ended (the end of a capture, the daemon stopping): write what was held back.
    virtual void finish(const rules::CompiledPolicy& policy) { (void)policy; }

protected:
    PacketSink() = default;
};

}  // namespace icmpgate::pipeline
