#include "filter/capture/capture_sink.h"

#include "filter/capture/capture_writer.h"

namespace icmpgate::capture {

CapturedVerdict captured_verdict(const pipeline::PacketEvent& event) noexcept {
    const verdict::Decision& decision = event.decision;
    if (!decision.would_be) return {decision.verdict, std::nullopt};
    return {decision.verdict, decision.would_be->verdict};
}

void CaptureSink::begin_batch(std::int64_t now_ns, const rules::CompiledPolicy& policy) noexcept {
    (void)now_ns;
    (void)policy;
    batch_wall_ns_ = -1;
}

void CaptureSink::on_packet(const pipeline::PacketEvent& event) noexcept {
    const pipeline::PacketInput& input = event.input;
    if (!input.carries_ip || input.l3.empty()) return;  // nothing a layer-3 capture could hold
    const CapturedVerdict verdict = captured_verdict(event);
    if (options_.selection == CaptureSelection::drop && !verdict.dropped()) return;

    // Under run --monitor the comment names what the policy decided (its reason, rule and
    // limiter), as the record's icmpgate.monitor does; the verdict is the one given (accept).
    const verdict::Outcome& decision = verdict::policy_outcome(event.decision);
    const rules::CompiledPolicy& policy = event.policy;
    CommentFields fields;
    fields.verdict = verdict.verdict;
    fields.would_be = verdict.would_be;
    fields.reason = log::reason_text(decision);
    // The rule and limiter as the record names them (log/verdict_record.cc).
    if (decision.rule && *decision.rule < policy.rules.size()) fields.rule = policy.rules[*decision.rule].id;
    if (decision.reason == verdict::Reason::rate_limit && decision.limiter &&
        *decision.limiter < policy.limiters.size())
        fields.limiter = policy.limiters[*decision.limiter].name;
    fields.in_interface = input.meta.in_interface;
    fields.out_interface = input.meta.out_interface;
    fields.queue = input.origin.queue;
    fields.policy_digest = policy.digest;
    const std::size_t comment_length = format_comment(fields, comment_);

    std::int64_t time_ns = input.meta.now_ns;
    if (options_.wall_clock != nullptr) {
        if (batch_wall_ns_ < 0) batch_wall_ns_ = options_.wall_clock();
        time_ns = batch_wall_ns_;
    }
    QueuedPacket packet;
    packet.time_ns = time_ns;
    packet.original_length = input.decode.wire_length;
    packet.comment = {comment_.data(), comment_length};
    packet.data = input.l3;
    if (queue_.push(packet)) queued_ = true;
}

void CaptureSink::end_batch() noexcept {
    if (!queued_) return;
    queued_ = false;
    // The writer empties the queue every CaptureWriter::kWritePeriod by itself; a queue a quarter
    // full wakes it early, so that a burst is written long before the queue refuses packets.
    if (queue_.used() >= queue_.capacity() / kWakeAtFraction) writer_.notify();
}

}  // namespace icmpgate::capture
