#include "filter/nfq/netlink_channel.h"

#include <libmnl/libmnl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace icmpgate::nfq {
namespace {

class MnlChannel final : public NetlinkChannel {
public:
    MnlChannel() {
        socket_ = mnl_socket_open(NETLINK_NETFILTER);
        if (socket_ == nullptr)
            throw std::system_error(errno, std::generic_category(), "opening the netfilter netlink socket");
        if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
            const int error = errno;
            mnl_socket_close(socket_);
            throw std::system_error(error, std::generic_category(), "binding the netlink socket");
        }
        port_id_ = mnl_socket_get_portid(socket_);
    }
    MnlChannel(const MnlChannel&) = delete;
    MnlChannel& operator=(const MnlChannel&) = delete;
    ~MnlChannel() override { mnl_socket_close(socket_); }

    std::uint32_t port_id() const noexcept override { return port_id_; }
    int fd() const noexcept override { return mnl_socket_get_fd(socket_); }

    bool wait_readable(int timeout_ms) noexcept override {
        pollfd pfd{fd(), POLLIN, 0};
        return poll(&pfd, 1, timeout_ms) > 0;
    }

    long receive(std::span<char> buffer, bool wait) noexcept override {
        return static_cast<long>(recv(fd(), buffer.data(), buffer.size(), wait ? 0 : MSG_DONTWAIT));
    }

    long send(std::span<const char> messages) noexcept override {
        return static_cast<long>(mnl_socket_sendto(socket_, messages.data(), messages.size()));
    }

    bool set_receive_buffer(std::uint32_t bytes) noexcept override {
        const int size = static_cast<int>(bytes);
        return setsockopt(fd(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) == 0 ||
               setsockopt(fd(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size) == 0;
    }

    void report_overruns() noexcept override {
        const int off = 0;
        (void)setsockopt(fd(), SOL_NETLINK, NETLINK_NO_ENOBUFS, &off, sizeof off);
    }

private:
    mnl_socket* socket_{nullptr};
    std::uint32_t port_id_{0};
};

}  // namespace

std::unique_ptr<NetlinkChannel> open_netfilter_channel() {
    return std::make_unique<MnlChannel>();
}

}  // namespace icmpgate::nfq
