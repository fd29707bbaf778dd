#include "filter/nfq/queue_worker.h"

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <cerrno>
#include <ctime>

#include "filter/nfq/nfq_message.h"

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

std::int64_t monotonic_clock_ns() noexcept {
    return clock_ns(CLOCK_MONOTONIC);
}
std::int64_t realtime_clock_ns() noexcept {
    return clock_ns(CLOCK_REALTIME);
}

QueueWorker::QueueWorker(QueueSocket socket, const pipeline::ActivePolicyHandle& policy, pipeline::LineOutput* log,
                         const InterfaceNamesEpoch& interface_epoch, QueueCounters& counters,
                         const WorkerOptions& options)
    : socket_{std::move(socket)},
      policy_{policy},
      interfaces_{interface_epoch, options.resolve_interface},
      counters_{counters},
      monotonic_clock_{options.monotonic_clock},
      pipeline_{counters.verdicts, options.enforcement},
      buffer_(kReceiveBufferSize) {
    if (log != nullptr) {
        pipeline::EveLogOptions log_options;
        log_options.suppressor = options.suppressor;
        log_options.community_id_seed = options.community_id_seed;
        log_options.ipv6_text = options.ipv6_text;
        log_options.wall_clock = options.wall_clock;
        log_.emplace(*log, counters.log, log_options);
        pipeline_.add_sink(*log_);
    }
}

void QueueWorker::run(const std::atomic<bool>& stop) noexcept {
    while (!stop.load(std::memory_order_relaxed)) {
        const bool ready = socket_.wait_readable(kPollIntervalMs);
        // One monotonic time for the whole batch. Exact enough for the token buckets: a
        // bucket refills by rate x (now - its last time), so a packet stamped up to one
        // batch's processing time early (at most 64 datagrams: a few hundred microseconds
        // unless the thread is preempted) only moves that refill to the next batch; the
        // clock never goes back, so no token is created or lost over time.
        batch_now_ns_ = monotonic_clock_();
        batch_policy_ = policy_.load();
        pipeline_.begin_batch(*batch_policy_, batch_now_ns_);  // a timeout still ends suppression windows
        if (ready) receive_batch();
        pipeline_.end_batch();  // after the verdicts: see AsyncLineWriter::submit_without_wake
    }
    if (!socket_.flush()) counters_.source.add(pipeline::SourceCounter::verdict_send_errors);
    pipeline_.finish();
    pipeline_.end_batch();
}

void QueueWorker::receive_batch() noexcept {
    interfaces_.begin_batch();
    for (int i = 0; i < kDatagramsPerBatch; ++i) {
        const long n = socket_.receive(buffer_, false);
        if (n < 0) {
            if (errno == ENOBUFS) {
                // The kernel dropped messages for us (or accepted them: fail-open).
                counters_.source.add(pipeline::SourceCounter::enobufs);
                continue;
            }
            if (errno == EINTR) continue;
            break;  // EAGAIN: the socket is empty
        }
        handle_datagram(static_cast<std::size_t>(n));
    }
    if (!socket_.flush()) counters_.source.add(pipeline::SourceCounter::verdict_send_errors);
}

void QueueWorker::handle_datagram(std::size_t size) noexcept {
    const auto* message = reinterpret_cast<const nlmsghdr*>(buffer_.data());  // NOLINT: netlink framing
    int remaining = static_cast<int>(size);
    for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
        const auto type = static_cast<std::uint16_t>(message->nlmsg_type & 0xFFU);
        if (type != NFQNL_MSG_PACKET) continue;  // acks and errors for verdicts we did not ask about
        counters_.source.add(pipeline::SourceCounter::received);
        const ParsedMessage parsed = parse_packet_message(message);
        if (parsed.error == ParseError::no_packet_header) {
            counters_.source.add(pipeline::SourceCounter::malformed);  // no packet id: nothing to give a verdict for
            continue;
        }
        handle_packet(parsed.packet);
    }
}

void QueueWorker::handle_packet(const NfqPacket& packet) noexcept {
    pipeline::PacketInput input;
    input.l3 = packet.payload;
    input.decode = {.checksum_verifiable = !packet.checksum_not_ready, .wire_length = packet.wire_length};
    input.meta.in_interface = interfaces_.name(packet.in_ifindex, batch_now_ns_);
    input.meta.out_interface = interfaces_.name(packet.out_ifindex, batch_now_ns_);
    input.meta.now_ns = batch_now_ns_;
    input.origin.queue = log::QueueContext{socket_.queue_number(), packet.packet_id};

    const bool accept = pipeline_.process(input).verdict == rules::Verdict::accept;
    socket_.add_verdict(packet.packet_id, accept ? Verdict::accept : Verdict::drop);
    counters_.source.add(accept ? pipeline::SourceCounter::accepted : pipeline::SourceCounter::dropped);
}

}  // namespace icmpgate::nfq
