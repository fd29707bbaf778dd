#pragma once
// One NFQUEUE queue bound on its own netlink socket (libmnl + libnetfilter_queue's
// nfq_nlmsg_* API). Owns the socket; set-up failures throw std::system_error with a
// message naming the step (cold path); receive and send return error values.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "filter/nfq/verdict_batch.h"

struct mnl_socket;

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
    std::uint32_t receive_buffer{8U << 20U}; // SO_RCVBUF(FORCE) bytes
    bool fail_open{true};                    // NFQA_CFG_F_FAIL_OPEN: accept when the queue is full
};

class QueueSocket {
public:
    explicit QueueSocket(const QueueConfig& config);
    QueueSocket(const QueueSocket&) = delete;
    QueueSocket& operator=(const QueueSocket&) = delete;
    QueueSocket(QueueSocket&& other) noexcept;
    QueueSocket& operator=(QueueSocket&& other) noexcept;
    ~QueueSocket();

    [[nodiscard]] int fd() const noexcept;
    [[nodiscard]] std::uint16_t queue_number() const noexcept { return config_.queue_number; }

    // One datagram (it may hold several packet messages). Returns the byte count, or -1
    // with errno set (EAGAIN/EWOULDBLOCK when `wait` is false and nothing is there,
    // ENOBUFS when the kernel dropped messages for us, EINTR on a signal).
    [[nodiscard]] long receive(std::span<char> buffer, bool wait) noexcept;

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
    void close() noexcept;

    QueueConfig config_;
    mnl_socket* socket_{nullptr};
    unsigned port_id_{0};
    std::vector<PendingVerdict> pending_;   // reserved at start-up; cleared, never shrunk
    std::vector<char> send_buffer_;
};

}  // namespace icmpgate::nfq
