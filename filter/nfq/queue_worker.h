#pragma once
// One queue thread: receive a batch from the kernel, decode -> decide -> verdict -> log
// for each packet, send the batch's verdicts together. The thread makes no decision of
// its own: everything it knows goes into decide() through DecodedPacket and PacketMeta.
// Clocks are read per batch, not per packet: the monotonic clock once when the batch
// starts (every packet of the batch gets that time), the realtime clock at the first line
// the batch logs (every line of the batch gets that time).

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "filter/log/async_line_writer.h"
#include "filter/log/json_line.h"
#include "filter/log/log_suppressor.h"
#include "filter/nfq/active_policy.h"
#include "filter/nfq/interface_names.h"
#include "filter/nfq/nfq_packet.h"
#include "filter/nfq/queue_counters.h"
#include "filter/nfq/queue_socket.h"

struct nlmsghdr;

namespace icmpgate::nfq {

struct WorkerOptions {
    // The --log-rate budget per (rule, reason), shared by every queue thread; null = no suppression.
    log::LogSuppressor* suppressor{nullptr};
    std::optional<std::uint16_t> community_id_seed;  // log EVE's community_id with this seed
    log::Ipv6Text ipv6_text{log::Ipv6Text::rfc5952};  // how log lines write IPv6 addresses
};

class QueueWorker {
public:
    QueueWorker(QueueSocket socket, const ActivePolicyHandle& policy, log::AsyncLineWriter* writer,
                const InterfaceNamesEpoch& interface_epoch, QueueCounters& counters, WorkerOptions options);

    // Runs until `stop` becomes true (checked at least every poll interval).
    void run(const std::atomic<bool>& stop) noexcept;

    [[nodiscard]] std::uint16_t queue_number() const noexcept { return socket_.queue_number(); }

private:
    void handle_datagram(std::size_t size, ActivePolicy& policy) noexcept;
    void handle_packet(const NfqPacket& packet, ActivePolicy& policy) noexcept;
    void log_decision(const NfqPacket& packet, const decode::DecodedPacket& decoded, const verdict::Decision& decision,
                      const decode::PacketMeta& meta, ActivePolicy& policy) noexcept;
    void write_summary(const log::SuppressionSummary& summary, const ActivePolicy& policy) noexcept;
    // CLOCK_REALTIME for log lines: read at the first use in a batch, then reused.
    [[nodiscard]] std::int64_t batch_wall_clock_ns() noexcept;
    // Queues a log line; the writer is woken once per batch, after the verdicts are sent.
    void submit_line(std::string_view line) noexcept;
    void wake_log_writer() noexcept;

    QueueSocket socket_;
    const ActivePolicyHandle& policy_;
    log::AsyncLineWriter* writer_;  // null: no verdict log
    InterfaceNames interfaces_;     // this thread's own cache (no lock)
    QueueCounters& counters_;
    log::LogSuppressor* suppressor_;  // shared by the queue threads; null = every line written
    std::optional<std::uint16_t> community_id_seed_;
    log::Ipv6Text ipv6_text_;
    std::vector<char> buffer_;  // one receive buffer, sized once
    log::JsonLine line_;
    std::int64_t batch_now_ns_{0};    // CLOCK_MONOTONIC at the start of the current batch
    std::int64_t batch_wall_ns_{-1};  // CLOCK_REALTIME of the current batch; -1 = not read yet
    bool lines_submitted_{false};     // lines queued since the writer was last woken
};

}  // namespace icmpgate::nfq
