#include "filter/nfq/queue_rule_counters.h"

#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>
#include <system_error>
#include <vector>

namespace icmpgate::nfq {
namespace {

// A dump's datagrams are at most a page-sized skb per message batch; 64 KiB holds any.
constexpr std::size_t kReceiveBuffer = 64 * 1024;

struct RuleDeleter {
    void operator()(nftnl_rule* r) const noexcept { nftnl_rule_free(r); }
};
struct IterDeleter {
    void operator()(nftnl_expr_iter* i) const noexcept { nftnl_expr_iter_destroy(i); }
};

// The queues of an xt NFQUEUE target (struct xt_NFQ_info, revisions 0 to 3, host byte order):
// every revision starts with __u16 queuenum; revisions 1 and later follow it with __u16
// queues_total (--queue-balance). Revision 0 is a single queue.
bool nfqueue_target_queues(const nftnl_expr* e, std::uint16_t& first, std::uint16_t& total) {
    std::uint32_t length = 0;
    const void* info = nftnl_expr_get(e, NFTNL_EXPR_TG_INFO, &length);
    if (info == nullptr || length < sizeof(std::uint16_t)) return false;
    const auto* bytes = static_cast<const unsigned char*>(info);
    std::memcpy(&first, bytes, sizeof first);
    total = 1;
    if (nftnl_expr_get_u32(e, NFTNL_EXPR_TG_REV) >= 1 && length >= 2 * sizeof(std::uint16_t))
        std::memcpy(&total, bytes + sizeof first, sizeof total);
    return true;
}

// What a dump collects into, for the libmnl callback.
struct DumpTarget {
    QueueRuleCount* count;
    std::uint16_t first;
    std::uint16_t last;
};

int collect_rule(const nlmsghdr* message, void* data) {
    const auto& target = *static_cast<const DumpTarget*>(data);
    if (const std::optional<QueueRule> rule = parse_queue_rule(message))
        add_queue_rule(*target.count, *rule, target.first, target.last);
    return MNL_CB_OK;
}

}  // namespace

std::optional<QueueRule> parse_queue_rule(const nlmsghdr* message) {
    const std::unique_ptr<nftnl_rule, RuleDeleter> rule{nftnl_rule_alloc()};
    if (!rule || nftnl_rule_nlmsg_parse(message, rule.get()) < 0) return std::nullopt;
    const std::unique_ptr<nftnl_expr_iter, IterDeleter> it{nftnl_expr_iter_create(rule.get())};
    if (!it) return std::nullopt;
    QueueRule out;
    bool queues = false;
    std::uint16_t first = 0;
    std::uint16_t total = 1;
    for (const nftnl_expr* e = nftnl_expr_iter_next(it.get()); e != nullptr; e = nftnl_expr_iter_next(it.get())) {
        const char* name_text = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
        const std::string_view name = name_text != nullptr ? name_text : "";
        if (name == "counter") {
            // The counter nearest the verdict: the packets that reached it.
            out.has_counter = true;
            out.packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
        } else if (name == "queue") {
            // A queue number taken from a register is chosen per packet: no fixed range.
            if (nftnl_expr_is_set(e, NFTNL_EXPR_QUEUE_SREG_QNUM)) return std::nullopt;
            first = nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_NUM);
            total = nftnl_expr_is_set(e, NFTNL_EXPR_QUEUE_TOTAL) ? nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_TOTAL) : 1;
            queues = true;
        } else if (name == "target") {
            const char* target = nftnl_expr_get_str(e, NFTNL_EXPR_TG_NAME);
            if (target != nullptr && std::string_view{target} == "NFQUEUE")
                queues = nfqueue_target_queues(e, first, total);
        }
    }
    if (!queues) return std::nullopt;
    if (total == 0) total = 1;
    out.first_queue = first;
    const unsigned last = static_cast<unsigned>(first) + total - 1U;
    out.last_queue = static_cast<std::uint16_t>(last > 0xFFFFU ? 0xFFFFU : last);
    return out;
}

void add_queue_rule(QueueRuleCount& count, const QueueRule& rule, std::uint16_t first, std::uint16_t last) noexcept {
    if (rule.last_queue < first || rule.first_queue > last) return;
    ++count.rules;
    if (rule.has_counter)
        count.packets += rule.packets;
    else
        ++count.rules_without_counter;
}

QueueRuleCounterReader::QueueRuleCounterReader() {
    socket_ = mnl_socket_open(NETLINK_NETFILTER);
    if (socket_ == nullptr) throw std::system_error(errno, std::generic_category(), "nftables netlink socket");
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
        const int error = errno;
        mnl_socket_close(socket_);
        throw std::system_error(error, std::generic_category(), "nftables netlink bind");
    }
    port_id_ = mnl_socket_get_portid(socket_);
}

QueueRuleCounterReader::~QueueRuleCounterReader() {
    if (socket_ != nullptr) mnl_socket_close(socket_);
}

std::optional<QueueRuleCount> QueueRuleCounterReader::read(std::uint16_t first, std::uint16_t last) {
    // A dump that overlaps a ruleset change is marked interrupted (NLM_F_DUMP_INTR): try once more.
    for (int attempt = 0; attempt < 2; ++attempt) {
        QueueRuleCount count;
        if (dump_once(first, last, count)) return count;
        const int error = errno;
        // Whatever is left of a failed dump must not be read as the next one's answer.
        mnl_socket_close(socket_);
        socket_ = mnl_socket_open(NETLINK_NETFILTER);
        if (socket_ == nullptr || mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
            if (socket_ != nullptr) mnl_socket_close(socket_);
            socket_ = nullptr;
            errno = error;
            return std::nullopt;
        }
        port_id_ = mnl_socket_get_portid(socket_);
        errno = error;
        if (error != EINTR) break;
    }
    return std::nullopt;
}

bool QueueRuleCounterReader::dump_once(std::uint16_t first, std::uint16_t last, QueueRuleCount& count) {
    if (socket_ == nullptr) {
        errno = EBADF;
        return false;
    }
    std::vector<char> buffer(kReceiveBuffer);
    const std::uint32_t sequence = ++sequence_;
    nlmsghdr* request = nftnl_nlmsg_build_hdr(buffer.data(), NFT_MSG_GETRULE, NFPROTO_UNSPEC, NLM_F_DUMP, sequence);
    if (mnl_socket_sendto(socket_, request, request->nlmsg_len) < 0) return false;
    DumpTarget wanted{&count, first, last};
    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
        if (n < 0) return false;
        const int result =
            mnl_cb_run(buffer.data(), static_cast<std::size_t>(n), sequence, port_id_, collect_rule, &wanted);
        if (result < 0) return false;
        if (result == MNL_CB_STOP) return true;
    }
}

}  // namespace icmpgate::nfq
