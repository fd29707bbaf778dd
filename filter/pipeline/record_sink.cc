#include "filter/pipeline/record_sink.h"

namespace icmpgate::pipeline {

log::VerdictRecord make_record(const PacketEvent& event) noexcept {
    log::VerdictRecord record = log::make_verdict_record(event.packet, event.decision, event.input.meta, event.policy);
    record.queue = event.input.origin.queue;
    record.replay = event.input.origin.capture;
    return record;
}

}  // namespace icmpgate::pipeline
