#pragma once
// Packets the firewall rules sent to our queues but that the daemon never received: with
// fail-open (NFQA_CFG_F_FAIL_OPEN) the kernel accepts a packet uninspected when the queue is full
// or the netlink message cannot be delivered (socket buffer full), and with --queue-bypass /
// nft "bypass" when no process is bound to the queue; nfnetlink_queue counts none of them
// (__nfqnl_enqueue_packet: queue_dropped and queue_user_dropped grow only when fail-open is off).
// The difference is the only measure:
//
//   bypassed = rules_queued - received - (waiting + queue_dropped + user_dropped)
//
// each term since the daemon bound its queues. Pure arithmetic over samples the signal thread
// takes; rules_queued is read first, so a packet that arrives while a sample is taken can only
// make one sample too low (a later one catches up), never too high.

#include <cstdint>

namespace icmpgate::metrics {

struct QueueAccountingSample {
    std::uint64_t rules_queued{0};  // packet counters of the rules that queue to our range, summed
    std::uint64_t received{0};      // packet messages the daemon received, all queues
    std::uint64_t kernel_held{0};   // waiting + queue_dropped + user_dropped, all queues (/proc)
};

class BypassAccount {
public:
    // The first sample is the baseline. Afterwards the figures are monotonic (counters). When the
    // rules' counters go down (the rules were replaced: reinstall, nftables reload), a new baseline
    // starts from that sample; what passed between the two samples is not counted.
    void observe(const QueueAccountingSample& sample) noexcept;

    [[nodiscard]] bool started() const noexcept { return started_; }
    [[nodiscard]] std::uint64_t rules_queued() const noexcept { return queued_; }
    [[nodiscard]] std::uint64_t bypassed() const noexcept { return bypassed_; }

private:
    bool started_{false};
    QueueAccountingSample base_{};
    std::uint64_t last_rules_{0};
    std::uint64_t queued_offset_{0};
    std::uint64_t bypassed_offset_{0};
    std::uint64_t queued_{0};
    std::uint64_t bypassed_{0};
};

}  // namespace icmpgate::metrics
