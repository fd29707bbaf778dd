#pragma once
// One NFQUEUE queue bound on its own netlink socket (libnetfilter_queue's nfq_nlmsg_* API to
// build the messages, a NetlinkChannel to send and receive them). Owns the channel; set-up
// failures throw std::system_error with a message naming the step (cold path); receive and
// send return error values.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "filter/nfq/netlink_channel.h"
#include "filter/nfq/verdict_batch.h"

namespace icmpgate::nfq {

struct QueueConfig {
    std::uint16_t queue_number{0};
    // Bytes of each packet copied to us: enough for any ICMP error (RFC 1812 caps v4 errors
    // at 576 bytes, RFC 4443 v6 errors at 1280) and for the payload_size of echoes, which
    // is read from the IP header, not from the bytes.
    std::uint32_t copy_range{0xFFFF};
    // Packets waiting in the kernel (kernel default 1024): 328 ms at 50 kpps. Kernel memory
    // is held only while packets wait (docs/operations.md, "Kernel queue length and memory").
    std::uint32_t max_length{16384};
    std::uint32_t receive_buffer{8U << 20U};  // SO_RCVBUF(FORCE) bytes
    bool fail_open{true};                     // NFQA_CFG_F_FAIL_OPEN: accept when the queue is full
};

class QueueSocket {
public:
    // Binds and configures the queue on a new netfilter netlink socket.
    explicit QueueSocket(const QueueConfig& config);
    // The same over `channel` (a fake kernel in tests).
    QueueSocket(const QueueConfig& config, std::unique_ptr<NetlinkChannel> channel);

    [[nodiscard]] int fd() const noexcept { return channel_->fd(); }
    [[nodiscard]] std::uint16_t queue_number() const noexcept { return config_.queue_number; }

    // Waits at most `timeout_ms` for a datagram (false on a timeout or a signal).
    [[nodiscard]] bool wait_readable(int timeout_ms) noexcept { return channel_->wait_readable(timeout_ms); }
    // One datagram (it may hold several packet messages). Returns the byte count, or -1
    // with errno set (EAGAIN/EWOULDBLOCK when `wait` is false and nothing is there,
    // ENOBUFS when the kernel dropped messages for us, EINTR on a signal).
    [[nodiscard]] long receive(std::span<char> buffer, bool wait) noexcept { return channel_->receive(buffer, wait); }

    // Queues one verdict; flush() sends everything queued in as few messages and system
    // calls as the order allows: a run of equal verdicts becomes one batch verdict
    // (NFQNL_MSG_VERDICT_BATCH covers every pending id up to the last of the run).
    void add_verdict(std::uint32_t packet_id, Verdict verdict) noexcept;
    // Returns false (errno set) when the send failed; the verdicts are then lost and the
    // kernel keeps those packets until the queue is unbound (fail-open decides then).
    [[nodiscard]] bool flush() noexcept;
    [[nodiscard]] std::size_t pending_verdicts() const noexcept { return pending_.size(); }

private:
    void configure();

    QueueConfig config_;
    std::unique_ptr<NetlinkChannel> channel_;
    std::vector<PendingVerdict> pending_;  // reserved at start-up; cleared, never shrunk
    std::vector<char> send_buffer_;
};

}  // namespace icmpgate::nfq
