#include "filter/nfq/queue_socket.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>

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

QueueSocket::QueueSocket(const QueueConfig& config) : QueueSocket(config, open_netfilter_channel()) {}

QueueSocket::QueueSocket(const QueueConfig& config, std::unique_ptr<NetlinkChannel> channel)
    : config_{config}, channel_{std::move(channel)} {
    pending_.reserve(kMaxPendingVerdicts);
    send_buffer_.resize(kMaxPendingVerdicts * kVerdictMessageMax);
    configure();
}

void QueueSocket::configure() {
    const std::string queue = "queue " + std::to_string(config_.queue_number);
    std::vector<char> buf(static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));

    auto send_and_ack = [&](nlmsghdr* nlh, const std::string& step) {
        nlh->nlmsg_flags |= NLM_F_ACK;
        if (channel_->send({buf.data(), nlh->nlmsg_len}) < 0) fail(step);
        const long n = channel_->receive(buf, true);
        if (n < 0) fail(step);
        if (mnl_cb_run(buf.data(), static_cast<std::size_t>(n), 0, channel_->port_id(), nullptr, nullptr) < 0)
            fail(step);
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

    if (!channel_->set_receive_buffer(config_.receive_buffer)) fail("setting the receive buffer of " + queue);
    // ENOBUFS is how the kernel tells us it dropped messages: we want to see and count it.
    channel_->report_overruns();
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
    const long sent = channel_->send({send_buffer_.data(), used});
    return sent >= 0 && static_cast<std::size_t>(sent) == used;
}

}  // namespace icmpgate::nfq
