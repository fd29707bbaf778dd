#include "filter/nfq/queue_worker.h"

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <cerrno>
#include <ctime>

#include "filter/decode/decode.h"
#include "filter/log/verdict_record.h"
#include "filter/nfq/nfq_message.h"
#include "filter/verdict/engine.h"

namespace icmpgate::nfq {
namespace {

// Largest packet (64 KiB) plus room for the netlink and attribute headers: one message
// always fits (MNL_SOCKET_BUFFER_SIZE/2 in the upstream example; it is not constexpr).
constexpr std::size_t kReceiveBufferSize = 0xFFFF + 8192;
// Datagrams taken without waiting after the first, before verdicts go out: bounds the
// latency a batch adds to its first packet.
constexpr int kDatagramsPerBatch = 64;
// How often a thread blocked in poll() looks at the stop flag.
constexpr int kPollIntervalMs = 200;

std::int64_t clock_ns(clockid_t clock) noexcept {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

QueueWorker::QueueWorker(QueueSocket socket, const ActivePolicyHandle& policy, log::AsyncLineWriter* writer,
                         const InterfaceNamesEpoch& interface_epoch, QueueCounters& counters, WorkerOptions options)
    : socket_{std::move(socket)},
      policy_{policy},
      writer_{writer},
      interfaces_{interface_epoch},
      counters_{counters},
      suppressor_{options.suppressor},
      community_id_seed_{options.community_id_seed},
      ipv6_text_{options.ipv6_text},
      buffer_(kReceiveBufferSize) {}

void QueueWorker::run(const std::atomic<bool>& stop) noexcept {
    while (!stop.load(std::memory_order_relaxed)) {
        const bool ready = socket_.wait_readable(kPollIntervalMs);
        // One monotonic time for the whole batch. Exact enough for the token buckets: a
        // bucket refills by rate x (now - its last time), so a packet stamped up to one
        // batch's processing time early (at most 64 datagrams: a few hundred microseconds
        // unless the thread is preempted) only moves that refill to the next batch; the
        // clock never goes back, so no token is created or lost over time.
        batch_now_ns_ = clock_ns(CLOCK_MONOTONIC);
        batch_wall_ns_ = -1;
        const std::shared_ptr<ActivePolicy> policy = policy_.load();
        if (writer_ != nullptr && suppressor_ != nullptr) {
            suppressor_->collect_ended(batch_now_ns_,
                                       [&](const log::SuppressionSummary& s) { write_summary(s, *policy); });
        }
        if (!ready) {  // timeout or EINTR
            wake_log_writer();
            continue;
        }
        interfaces_.begin_batch();
        for (int i = 0; i < kDatagramsPerBatch; ++i) {
            const long n = socket_.receive(buffer_, false);
            if (n < 0) {
                if (errno == ENOBUFS) {
                    // The kernel dropped messages for us (or accepted them: fail-open).
                    counters_.enobufs.add();
                    continue;
                }
                if (errno == EINTR) continue;
                break;  // EAGAIN: the socket is empty
            }
            handle_datagram(static_cast<std::size_t>(n), *policy);
        }
        if (!socket_.flush()) counters_.verdict_send_errors.add();
        wake_log_writer();  // after the verdicts: see AsyncLineWriter::submit_without_wake
    }
    if (!socket_.flush()) counters_.verdict_send_errors.add();
    wake_log_writer();
}

void QueueWorker::wake_log_writer() noexcept {
    if (!lines_submitted_) return;
    lines_submitted_ = false;
    writer_->wake();
}

void QueueWorker::submit_line(std::string_view line) noexcept {
    if (writer_->submit_without_wake(line))
        lines_submitted_ = true;
    else
        counters_.log_lines_refused.add();
}

void QueueWorker::handle_datagram(std::size_t size, ActivePolicy& policy) noexcept {
    const auto* message = reinterpret_cast<const nlmsghdr*>(buffer_.data());  // NOLINT: netlink framing
    int remaining = static_cast<int>(size);
    for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
        const auto type = static_cast<std::uint16_t>(message->nlmsg_type & 0xFFU);
        if (type != NFQNL_MSG_PACKET) continue;  // acks and errors for verdicts we did not ask about
        counters_.received.add();
        const ParsedMessage parsed = parse_packet_message(message);
        if (parsed.error == ParseError::no_packet_header) {
            counters_.malformed.add();  // no packet id: nothing we can give a verdict for
            continue;
        }
        handle_packet(parsed.packet, policy);
    }
}

void QueueWorker::handle_packet(const NfqPacket& packet, ActivePolicy& policy) noexcept {
    const decode::DecodeOptions options{.checksum_verifiable = !packet.checksum_not_ready,
                                        .wire_length = packet.wire_length};
    const decode::DecodedPacket decoded = decode::decode_packet(packet.payload, options);
    decode::PacketMeta meta;
    meta.in_interface = interfaces_.name(packet.in_ifindex, batch_now_ns_);
    meta.out_interface = interfaces_.name(packet.out_ifindex, batch_now_ns_);
    meta.now_ns = batch_now_ns_;

    const verdict::Decision decision = verdict::decide(*policy.policy, decoded, meta, policy.limiters);
    socket_.add_verdict(packet.packet_id, decision.verdict == rules::Verdict::accept ? Verdict::accept : Verdict::drop);

    (decision.verdict == rules::Verdict::accept ? counters_.accepted : counters_.dropped).add();
    counters_.by_reason[static_cast<std::size_t>(decision.reason)].add();
    (decision.verdict == rules::Verdict::accept ? counters_.accepted_by_reason : counters_.dropped_by_reason)
        [static_cast<std::size_t>(decision.reason)].add();
    if (decoded.is_ip)
        (decision.verdict == rules::Verdict::accept ? counters_.accepted_by_family : counters_.dropped_by_family)
            [decode::family_index(decoded.family)].add();
    if (decision.reason == verdict::Reason::anomaly)
        counters_.by_anomaly[static_cast<std::size_t>(decision.anomaly)].add();
    if (decision.rule) policy.rule_hits[*decision.rule].fetch_add(1, std::memory_order_relaxed);

    log_decision(packet, decoded, decision, meta, policy);
}

void QueueWorker::log_decision(const NfqPacket& packet, const decode::DecodedPacket& decoded,
                               const verdict::Decision& decision, const decode::PacketMeta& meta,
                               ActivePolicy& policy) noexcept {
    if (writer_ == nullptr) return;
    if (decision.rule && !policy.policy->rules[*decision.rule].log) return;  // "log": false

    const log::SuppressionKey key{decision.rule.value_or(UINT32_MAX), decision.reason, decision.anomaly};
    log::SuppressionSummary ended;
    const bool allowed = suppressor_ == nullptr || suppressor_->allow(key, meta.now_ns, &ended);
    if (ended.suppressed > 0) write_summary(ended, policy);
    if (!allowed) {
        counters_.log_lines_suppressed.add();
        return;
    }
    log::VerdictRecord record = log::make_verdict_record(decoded, decision, meta, *policy.policy);
    record.time_ns = batch_wall_clock_ns();  // meta.now_ns is monotonic (for limiters)
    record.queue = log::QueueContext{socket_.queue_number(), packet.packet_id};
    record.community_id_seed = community_id_seed_;
    record.ipv6_text = ipv6_text_;
    if (!line_.format(record)) return;
    const std::string_view text = line_.line();
    submit_line(text.substr(0, text.size() - 1));
}

void QueueWorker::write_summary(const log::SuppressionSummary& summary, const ActivePolicy& policy) noexcept {
    std::string_view rule_id;
    if (summary.key.rule < policy.policy->rules.size()) rule_id = policy.policy->rules[summary.key.rule].id;
    std::array<char, 512> out{};
    const std::size_t n = log::format_suppression_summary(summary, rule_id, batch_wall_clock_ns(), out);
    if (n > 0) submit_line({out.data(), n});
}

std::int64_t QueueWorker::batch_wall_clock_ns() noexcept {
    if (batch_wall_ns_ < 0) batch_wall_ns_ = clock_ns(CLOCK_REALTIME);
    return batch_wall_ns_;
}

}  // namespace icmpgate::nfq
