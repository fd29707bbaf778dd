#pragma once
// A fake of the kernel's side of an NFQUEUE netlink socket, for the queue socket's and the queue
// worker's unit tests: a NetlinkChannel that acknowledges requests (or refuses them with an
// errno), delivers queued datagrams (nfnetlink_queue packet messages built below, or an ENOBUFS
// report), and records every datagram sent to it (configuration and verdict messages, decoded
// by the helpers below). The test keeps a shared handle on the state while the socket owns the
// channel.

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <vector>

#include "filter/nfq/netlink_channel.h"

namespace icmpgate::nfq::test {

using Datagram = std::vector<char>;

struct FakeKernelState {
    static constexpr std::uint32_t kPortId = 31337;

    // What the next datagram receive() returns, in order; an empty Datagram stands for one
    // ENOBUFS report.
    std::deque<Datagram> to_deliver;
    // Every datagram sent, in order.
    std::vector<Datagram> sent;
    // errno of the ack of the next request asking for one (0: success), then of those after it.
    std::deque<int> ack_errors;
    int send_errno{0};  // sends fail with this errno while it is not 0
    std::optional<std::uint32_t> receive_buffer;
    bool overruns_reported{false};
    // Set true when wait_readable() finds nothing left to deliver: the worker's loop then ends.
    std::atomic<bool>* stop_when_drained{nullptr};
    // Datagrams delivered per wait_readable() (then EAGAIN until the next wait): the kernel's
    // bursts. 0: all that are queued.
    std::size_t burst{0};
    std::size_t burst_left{0};
    std::size_t waits{0};
    std::deque<Datagram> pending_acks;
};

class FakeChannel final : public NetlinkChannel {
public:
    explicit FakeChannel(std::shared_ptr<FakeKernelState> state) : state_{std::move(state)} {}

    std::uint32_t port_id() const noexcept override { return FakeKernelState::kPortId; }
    int fd() const noexcept override { return -1; }

    bool wait_readable(int /*timeout_ms*/) noexcept override {
        ++state_->waits;
        if (state_->to_deliver.empty() && state_->pending_acks.empty()) {
            if (state_->stop_when_drained != nullptr) state_->stop_when_drained->store(true);
            return false;
        }
        state_->burst_left = state_->burst == 0 ? SIZE_MAX : state_->burst;
        return true;
    }

    long receive(std::span<char> buffer, bool wait) noexcept override {
        std::deque<Datagram>& from = state_->pending_acks.empty() ? state_->to_deliver : state_->pending_acks;
        if (from.empty() || (!wait && &from == &state_->to_deliver && state_->burst_left == 0)) {
            errno = EAGAIN;
            return -1;
        }
        Datagram d = std::move(from.front());
        from.pop_front();
        if (&from == &state_->to_deliver) --state_->burst_left;
        if (d.empty()) {
            errno = ENOBUFS;
            return -1;
        }
        const std::size_t n = std::min(d.size(), buffer.size());
        std::memcpy(buffer.data(), d.data(), n);
        return static_cast<long>(n);
    }

    long send(std::span<const char> messages) noexcept override {
        if (state_->send_errno != 0) {
            errno = state_->send_errno;
            return -1;
        }
        state_->sent.emplace_back(messages.begin(), messages.end());
        const auto* nlh = reinterpret_cast<const nlmsghdr*>(messages.data());
        if ((nlh->nlmsg_flags & NLM_F_ACK) != 0) {
            int error = 0;
            if (!state_->ack_errors.empty()) {
                error = state_->ack_errors.front();
                state_->ack_errors.pop_front();
            }
            state_->pending_acks.push_back(ack(*nlh, error));
        }
        return static_cast<long>(messages.size());
    }

    bool set_receive_buffer(std::uint32_t bytes) noexcept override {
        state_->receive_buffer = bytes;
        return true;
    }
    void report_overruns() noexcept override { state_->overruns_reported = true; }

private:
    // NLMSG_ERROR carrying `error` (0: an ack) for `request`, as netlink_ack() builds it.
    static Datagram ack(const nlmsghdr& request, int error) {
        Datagram d(NLMSG_SPACE(sizeof(nlmsgerr)), 0);
        auto* nlh = reinterpret_cast<nlmsghdr*>(d.data());
        nlh->nlmsg_len = static_cast<std::uint32_t>(d.size());
        nlh->nlmsg_type = NLMSG_ERROR;
        nlh->nlmsg_seq = request.nlmsg_seq;
        nlh->nlmsg_pid = FakeKernelState::kPortId;
        auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
        err->error = -error;
        err->msg = request;
        return d;
    }

    std::shared_ptr<FakeKernelState> state_;
};

// One nfnetlink_queue packet message, attribute by attribute as __nfqnl_enqueue_packet builds it.
struct PacketMessage {
    std::uint32_t id{0};
    std::vector<std::uint8_t> payload;
    std::uint32_t in_ifindex{0};
    std::uint32_t out_ifindex{0};
    bool with_header{true};
    bool with_payload{true};
};

inline void append_packet_message(Datagram& datagram, const PacketMessage& p) {
    const std::size_t at = datagram.size();
    datagram.resize(at + static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));
    nlmsghdr* nlh = mnl_nlmsg_put_header(datagram.data() + at);
    nlh->nlmsg_type = static_cast<std::uint16_t>((NFNL_SUBSYS_QUEUE << 8U) | NFQNL_MSG_PACKET);
    auto* nfg = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
    nfg->nfgen_family = AF_UNSPEC;
    nfg->version = NFNETLINK_V0;
    if (p.with_header) {
        nfqnl_msg_packet_hdr header{};
        header.packet_id = htonl(p.id);
        header.hw_protocol = htons(!p.payload.empty() && (p.payload[0] >> 4U) == 6 ? 0x86DD : 0x0800);
        header.hook = NF_INET_FORWARD;
        mnl_attr_put(nlh, NFQA_PACKET_HDR, sizeof header, &header);
    }
    if (p.in_ifindex != 0) mnl_attr_put_u32(nlh, NFQA_IFINDEX_INDEV, htonl(p.in_ifindex));
    if (p.out_ifindex != 0) mnl_attr_put_u32(nlh, NFQA_IFINDEX_OUTDEV, htonl(p.out_ifindex));
    if (p.with_payload) mnl_attr_put(nlh, NFQA_PAYLOAD, p.payload.size(), p.payload.data());
    datagram.resize(at + NLMSG_ALIGN(nlh->nlmsg_len));
}

inline Datagram packet_datagram(const PacketMessage& p) {
    Datagram d;
    append_packet_message(d, p);
    return d;
}

// One verdict message as the kernel reads it.
struct SentVerdict {
    bool batch{false};  // NFQNL_MSG_VERDICT_BATCH: every pending id up to `id`
    std::uint16_t queue{0};
    std::uint32_t id{0};
    std::uint32_t verdict{0};  // NF_ACCEPT or NF_DROP
    friend bool operator==(const SentVerdict&, const SentVerdict&) = default;
    friend std::ostream& operator<<(std::ostream& out, const SentVerdict& v) {
        return out << (v.batch ? "batch" : "single") << " queue " << v.queue << " id " << v.id << " verdict "
                   << v.verdict;
    }
};

// An optional attribute's value, or -1 when the message did not carry it (for comparisons).
template <typename T>
long long value_or_absent(const std::optional<T>& value) {
    return value ? static_cast<long long>(*value) : -1;
}

// One configuration request (NFQNL_MSG_CONFIG) as the kernel reads it.
struct SentConfig {
    std::uint16_t queue{0};
    bool ack{false};
    std::optional<std::uint8_t> command;  // NFQA_CFG_CMD
    std::optional<std::uint8_t> copy_mode;
    std::optional<std::uint32_t> copy_range;
    std::optional<std::uint32_t> max_length;
    std::optional<std::uint32_t> flags;
    std::optional<std::uint32_t> mask;
};

template <typename Visit>
void for_each_message(const Datagram& datagram, Visit&& visit) {
    const auto* nlh = reinterpret_cast<const nlmsghdr*>(datagram.data());
    int remaining = static_cast<int>(datagram.size());
    for (; mnl_nlmsg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) visit(*nlh);
}

// Calls visit(type, attribute) for each attribute after nfgenmsg.
template <typename Visit>
void for_each_attribute(const nlmsghdr& nlh, Visit&& visit) {
    const auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(&nlh, sizeof(nfgenmsg)));
    const auto* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(&nlh));
    for (; mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr))); attr = mnl_attr_next(attr))
        visit(mnl_attr_get_type(attr), *attr);
}

inline std::uint16_t queue_of(const nlmsghdr& nlh) {
    const auto* nfg = static_cast<const nfgenmsg*>(mnl_nlmsg_get_payload(&nlh));
    return ntohs(nfg->res_id);
}

inline std::vector<SentVerdict> verdicts_in(const Datagram& datagram) {
    std::vector<SentVerdict> out;
    for_each_message(datagram, [&](const nlmsghdr& nlh) {
        const auto type = static_cast<std::uint16_t>(nlh.nlmsg_type & 0xFFU);
        if (type != NFQNL_MSG_VERDICT && type != NFQNL_MSG_VERDICT_BATCH) return;
        SentVerdict v;
        v.batch = type == NFQNL_MSG_VERDICT_BATCH;
        v.queue = queue_of(nlh);
        for_each_attribute(nlh, [&](std::uint16_t attr_type, const nlattr& attr) {
            if (attr_type != NFQA_VERDICT_HDR) return;
            nfqnl_msg_verdict_hdr h{};
            std::memcpy(&h, mnl_attr_get_payload(&attr), sizeof h);
            v.id = ntohl(h.id);
            v.verdict = ntohl(h.verdict);
        });
        out.push_back(v);
    });
    return out;
}

inline std::vector<SentConfig> configs_in(const Datagram& datagram) {
    std::vector<SentConfig> out;
    for_each_message(datagram, [&](const nlmsghdr& nlh) {
        if ((nlh.nlmsg_type & 0xFFU) != NFQNL_MSG_CONFIG) return;
        SentConfig c;
        c.queue = queue_of(nlh);
        c.ack = (nlh.nlmsg_flags & NLM_F_ACK) != 0;
        for_each_attribute(nlh, [&](std::uint16_t attr_type, const nlattr& attr) {
            const void* value = mnl_attr_get_payload(&attr);
            switch (attr_type) {
                case NFQA_CFG_CMD: {
                    nfqnl_msg_config_cmd cmd{};
                    std::memcpy(&cmd, value, sizeof cmd);
                    c.command = cmd.command;
                    break;
                }
                case NFQA_CFG_PARAMS: {
                    nfqnl_msg_config_params params{};
                    std::memcpy(&params, value, sizeof params);
                    c.copy_range = ntohl(params.copy_range);
                    c.copy_mode = params.copy_mode;
                    break;
                }
                case NFQA_CFG_QUEUE_MAXLEN:
                    c.max_length = ntohl(mnl_attr_get_u32(&attr));
                    break;
                case NFQA_CFG_FLAGS:
                    c.flags = ntohl(mnl_attr_get_u32(&attr));
                    break;
                case NFQA_CFG_MASK:
                    c.mask = ntohl(mnl_attr_get_u32(&attr));
                    break;
                default:
                    break;
            }
        });
        out.push_back(c);
    });
    return out;
}

// Every verdict of every datagram sent after the first `skip` (the configuration requests).
inline std::vector<SentVerdict> all_verdicts(const FakeKernelState& state, std::size_t skip = 2) {
    std::vector<SentVerdict> out;
    for (std::size_t i = skip; i < state.sent.size(); ++i)
        for (const SentVerdict& v : verdicts_in(state.sent[i])) out.push_back(v);
    return out;
}

}  // namespace icmpgate::nfq::test
