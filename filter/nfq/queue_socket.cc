#include "filter/nfq/queue_socket.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <sys/socket.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

namespace icmpgate::nfq {
namespace {

// Verdicts queued before a flush is forced; also the largest receive batch we expect.
constexpr std::size_t kMaxPendingVerdicts = 1024;

[[noreturn]] void fail(const std::string& step) {
    throw std::system_error(errno, std::generic_category(), step);
}

}  // namespace

QueueSocket::QueueSocket(const QueueConfig& config) : config_{config} {
    pending_.reserve(kMaxPendingVerdicts);
    send_buffer_.resize(kMaxPendingVerdicts * kVerdictMessageMax);
    socket_ = mnl_socket_open(NETLINK_NETFILTER);
    if (socket_ == nullptr) fail("opening the netfilter netlink socket");
    try {
        if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) fail("binding the netlink socket");
        port_id_ = mnl_socket_get_portid(socket_);
        configure();
    } catch (...) {
        close();
        throw;
    }
}

QueueSocket::QueueSocket(QueueSocket&& other) noexcept
    : config_{other.config_},
      socket_{std::exchange(other.socket_, nullptr)},
      port_id_{other.port_id_},
      pending_{std::move(other.pending_)},
      send_buffer_{std::move(other.send_buffer_)} {}

QueueSocket& QueueSocket::operator=(QueueSocket&& other) noexcept {
    if (this != &other) {
        close();
        config_ = other.config_;
        socket_ = std::exchange(other.socket_, nullptr);
        port_id_ = other.port_id_;
        pending_ = std::move(other.pending_);
        send_buffer_ = std::move(other.send_buffer_);
    }
    return *this;
}

QueueSocket::~QueueSocket() { close(); }

void QueueSocket::close() noexcept {
    if (socket_ != nullptr) mnl_socket_close(socket_);
    socket_ = nullptr;
}

int QueueSocket::fd() const noexcept { return mnl_socket_get_fd(socket_); }

void QueueSocket::configure() {
    const std::string queue = "queue " + std::to_string(config_.queue_number);
    std::vector<char> buf(static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));

    auto send_and_ack = [&](nlmsghdr* nlh, const std::string& step) {
        nlh->nlmsg_flags |= NLM_F_ACK;
        if (mnl_socket_sendto(socket_, nlh, nlh->nlmsg_len) < 0) fail(step);
        const auto n = mnl_socket_recvfrom(socket_, buf.data(), buf.size());
        if (n < 0) fail(step);
        if (mnl_cb_run(buf.data(), static_cast<std::size_t>(n), 0, port_id_, nullptr, nullptr) < 0) fail(step);
    };

    nlmsghdr* nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, config_.queue_number);
    nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
    send_and_ack(nlh, "binding " + queue + " (is another process bound to it? is CAP_NET_ADMIN missing?)");

    nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, config_.queue_number);
    nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, static_cast<int>(config_.copy_range));
    nfq_nlmsg_cfg_put_qmaxlen(nlh, config_.max_length);
    std::uint32_t flags = NFQA_CFG_F_GSO;  // take GSO packets whole instead of segmenting them
    if (config_.fail_open) flags |= NFQA_CFG_F_FAIL_OPEN;
    const std::uint32_t mask = NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN;
    mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
    mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(mask));
    send_and_ack(nlh, "configuring " + queue + " (copy range, queue length, flags)");

    const int size = static_cast<int>(config_.receive_buffer);
    // SO_RCVBUFFORCE passes the rmem_max cap (needs CAP_NET_ADMIN); fall back to SO_RCVBUF.
    if (setsockopt(fd(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0 &&
        setsockopt(fd(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size) < 0)
        fail("setting the receive buffer of " + queue);
    // ENOBUFS is how the kernel tells us it dropped messages: we want to see and count it.
    const int off = 0;
    setsockopt(fd(), SOL_NETLINK, NETLINK_NO_ENOBUFS, &off, sizeof off);
}

long QueueSocket::receive(std::span<char> buffer, bool wait) noexcept {
    const ssize_t n = recv(fd(), buffer.data(), buffer.size(), wait ? 0 : MSG_DONTWAIT);
    return static_cast<long>(n);
}

void QueueSocket::add_verdict(std::uint32_t packet_id, Verdict verdict) noexcept {
    if (pending_.size() == pending_.capacity()) (void)flush();
    pending_.push_back({packet_id, verdict});
}

bool QueueSocket::flush() noexcept {
    if (pending_.empty()) return true;
    // One send for the whole batch; the kernel handles the messages in order.
    const std::size_t used = serialize_verdicts(pending_, config_.queue_number, send_buffer_);
    pending_.clear();
    const ssize_t sent = mnl_socket_sendto(socket_, send_buffer_.data(), used);
    return sent >= 0 && static_cast<std::size_t>(sent) == used;
}

}  // namespace icmpgate::nfq
