#include "filter/replay/pcap_replay.h"

#include "filter/decode/decode.h"
#include "filter/replay/link_layer.h"
#include "filter/verdict/engine.h"
#include "rules/rate_limiter.h"

namespace icmpgate::replay {
namespace {
// Replay wants reproducible limiter tables (rate_limiter.h).
constexpr std::uint64_t kReplayHashSeed = 0;
}  // namespace

void ReplayCounts::add(const log::VerdictRecord& record) noexcept {
    ++frames;
    if (record.decision.verdict == rules::Verdict::drop)
        ++dropped;
    else
        ++accepted;
    const auto reason = static_cast<std::size_t>(record.decision.reason);
    if (reason < by_reason.size()) ++by_reason[reason];
    if (record.decision.reason == verdict::Reason::anomaly) {
        const auto anomaly = static_cast<std::size_t>(record.decision.anomaly);
        if (anomaly < by_anomaly.size()) ++by_anomaly[anomaly];
    }
}

ReplayOutcome replay_capture(const rules::CompiledPolicy& policy, PcapSource& source,
                             std::string_view pcap_filename, RecordSink& sink) {
    ReplayOutcome outcome;
    const int link_type = source.link_type();
    if (!is_supported_link_type(link_type)) {
        const std::string name = link_type_name(link_type);
        outcome.error = "unsupported link type " + std::to_string(link_type) +
                        (name.empty() ? std::string{} : " (" + name + ")") +
                        "; replay reads Ethernet, Linux cooked (SLL, SLL2), raw IP, loopback and PPP captures";
        return outcome;
    }

    rules::LimiterState limiters{policy.limiters, kReplayHashSeed};
    std::uint64_t frame_number = 0;
    for (;;) {
        const ReadResult read = source.next();
        if (read.status == ReadStatus::end) break;
        if (read.status == ReadStatus::error) {
            outcome.error = "cannot read frame " + std::to_string(frame_number + 1) + ": " + source.error_message();
            return outcome;
        }
        ++frame_number;
        const Frame& frame = read.frame;

        decode::DecodedPacket packet;  // not IP unless the link layer says so
        const L3View view = strip_link_layer(link_type, frame.data);
        if (view.payload == LinkPayload::ip) {
            decode::DecodeOptions options;
            options.checksum_verifiable = true;
            // A snaplen cut is not truncation: tell the decoder how long the packet was.
            if (frame.captured_length < frame.wire_length && frame.wire_length > view.link_header_length)
                options.wire_length = frame.wire_length - static_cast<std::uint32_t>(view.link_header_length);
            packet = decode::decode_packet(view.l3, options);
        }

        decode::PacketMeta meta;
        meta.now_ns = frame.time_ns;
        const verdict::Decision decision = verdict::decide(policy, packet, meta, limiters);

        log::VerdictRecord record = log::make_verdict_record(packet, decision, meta, policy);
        record.replay = log::ReplayContext{frame_number, pcap_filename};
        outcome.counts.add(record);
        sink.write(record);
    }
    outcome.ok = true;
    return outcome;
}

}  // namespace icmpgate::replay
