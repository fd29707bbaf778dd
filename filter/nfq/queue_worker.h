#pragma once
// One queue thread: the NFQUEUE source of the packet pipeline. It receives a batch of datagrams
// from the kernel, turns each packet message into a PacketInput, hands it to the pipeline
// (decode -> decide -> counters -> sinks) and queues the returned verdict; the batch's verdicts
// go back in one send, then the sinks end the batch (the log writer is woken after the verdicts).
// The thread makes no decision of its own: everything it knows goes into decide() through the
// packet's bytes and PacketMeta.
//
// Clocks are read per batch, not per packet: the monotonic clock once when the batch starts
// (every packet of the batch gets that time); the log sink reads the realtime clock at the
// first line the batch logs (every line of the batch gets that time).

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "filter/log/ip_text.h"
#include "filter/log/log_suppressor.h"
#include "filter/nfq/interface_names.h"
#include "filter/nfq/nfq_packet.h"
#include "filter/nfq/queue_counters.h"
#include "filter/nfq/queue_socket.h"
#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/eve_log_sink.h"
#include "filter/pipeline/line_output.h"
#include "filter/pipeline/pipeline.h"

struct nlmsghdr;

namespace icmpgate::nfq {

using ClockNs = std::int64_t (*)() noexcept;

// CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds.
[[nodiscard]] std::int64_t monotonic_clock_ns() noexcept;
[[nodiscard]] std::int64_t realtime_clock_ns() noexcept;

struct WorkerOptions {
    // The --log-rate budget per (rule, reason), shared by every queue thread; null = no suppression.
    log::LogSuppressor* suppressor{nullptr};
    std::optional<std::uint16_t> community_id_seed;   // log EVE's community_id with this seed
    log::Ipv6Text ipv6_text{log::Ipv6Text::rfc5952};  // how log lines write IPv6 addresses
    // The limiter clock, read once per batch, and the log lines' clock (tests pass fakes).
    ClockNs monotonic_clock{monotonic_clock_ns};
    ClockNs wall_clock{realtime_clock_ns};
    InterfaceResolver resolve_interface{resolve_interface_name};
    // run --monitor: accept every packet, the policy's decision logged as the would-be.
    pipeline::Enforcement enforcement{pipeline::Enforcement::enforce};
};

class QueueWorker {
public:
    // `log`: where verdict lines go (this thread's own output), null for no verdict log.
    QueueWorker(QueueSocket socket, const pipeline::ActivePolicyHandle& policy, pipeline::LineOutput* log,
                const InterfaceNamesEpoch& interface_epoch, QueueCounters& counters, const WorkerOptions& options);
    QueueWorker(const QueueWorker&) = delete;
    QueueWorker& operator=(const QueueWorker&) = delete;

    // Another sink for this queue's packets (an evidence capture), after the log; before run().
    // The sink must outlive the worker.
    void add_sink(pipeline::PacketSink& sink) { pipeline_.add_sink(sink); }

    // Runs until `stop` becomes true (checked at least every poll interval), then sends what is
    // pending and lets the sinks finish (the log's last suppression summaries).
    void run(const std::atomic<bool>& stop) noexcept;

    [[nodiscard]] std::uint16_t queue_number() const noexcept { return socket_.queue_number(); }

private:
    void receive_batch() noexcept;
    void handle_datagram(std::size_t size) noexcept;
    void handle_packet(const NfqPacket& packet) noexcept;

    QueueSocket socket_;
    const pipeline::ActivePolicyHandle& policy_;
    InterfaceNames interfaces_;  // this thread's own cache (no lock)
    QueueCounters& counters_;
    ClockNs monotonic_clock_;
    std::optional<pipeline::EveLogSink> log_;
    pipeline::Pipeline pipeline_;
    std::shared_ptr<pipeline::ActivePolicy> batch_policy_;  // kept alive while the pipeline uses it
    std::vector<char> buffer_;                              // one receive buffer, sized once
    std::int64_t batch_now_ns_{0};                          // the monotonic clock at the start of the batch
};

}  // namespace icmpgate::nfq
