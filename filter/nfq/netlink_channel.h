#pragma once
// The system calls of one netfilter netlink socket, behind an interface so that the queue socket
// and the queue worker run in unit tests against a fake kernel (tests/filter/nfq/fake_netlink.h).
// Each call is one system call on the real socket: per received datagram or per batch of
// verdicts, never per packet, so the indirection costs nothing measurable (docs/performance.md).

#include <cstdint>
#include <memory>
#include <span>

struct mnl_socket;

namespace icmpgate::nfq {

class NetlinkChannel {
public:
    virtual ~NetlinkChannel() = default;
    NetlinkChannel(const NetlinkChannel&) = delete;
    NetlinkChannel& operator=(const NetlinkChannel&) = delete;

    // The socket's netlink port id (replies to our requests carry it).
    [[nodiscard]] virtual std::uint32_t port_id() const noexcept = 0;
    // The file descriptor, for callers that poll several sockets themselves; -1 for a fake.
    [[nodiscard]] virtual int fd() const noexcept = 0;
    // Waits at most `timeout_ms` for a datagram: true when one can be read, false on a timeout
    // or a signal.
    [[nodiscard]] virtual bool wait_readable(int timeout_ms) noexcept = 0;
    // One datagram into `buffer`: its size, or -1 with errno set (EAGAIN/EWOULDBLOCK when `wait`
    // is false and nothing is there, ENOBUFS when the kernel dropped messages for us, EINTR).
    [[nodiscard]] virtual long receive(std::span<char> buffer, bool wait) noexcept = 0;
    // One datagram of messages: the bytes sent, or -1 with errno set.
    [[nodiscard]] virtual long send(std::span<const char> messages) noexcept = 0;
    // SO_RCVBUFFORCE (past rmem_max, with CAP_NET_ADMIN), else SO_RCVBUF; false with errno set.
    [[nodiscard]] virtual bool set_receive_buffer(std::uint32_t bytes) noexcept = 0;
    // Clears NETLINK_NO_ENOBUFS: the kernel then reports messages it could not deliver as ENOBUFS.
    virtual void report_overruns() noexcept = 0;

protected:
    NetlinkChannel() = default;
};

// A NETLINK_NETFILTER socket (libmnl), bound with an automatic port id. Throws
// std::system_error naming the step that failed.
[[nodiscard]] std::unique_ptr<NetlinkChannel> open_netfilter_channel();

}  // namespace icmpgate::nfq
