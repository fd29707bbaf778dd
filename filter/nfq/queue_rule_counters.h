#pragma once
// The packet counters of the firewall rules that send packets to a range of queues, read over
// nftables netlink (an NFT_MSG_GETRULE dump of every family, parsed with libnftnl). iptables-nft
// stores its rules as nftables rules, its NFQUEUE target as an xt target expression (nft_compat),
// so one reader covers deploy/nftables/icmpgate.nft ("counter queue ...") and
// icmpgate-rules.sh (iptables-nft gives every rule a counter). Needs CAP_NET_ADMIN (nfnetlink
// refuses every message without it) and an AF_NETLINK socket: what the daemon already has.
// Cold path: the signal thread reads it when a stats event or the metrics file is due.

#include <cstdint>
#include <optional>
#include <span>

struct mnl_socket;
struct nlmsghdr;

namespace icmpgate::nfq {

// What one rule contributes: the queues its verdict sends to and its packet counter.
struct QueueRule {
    std::uint16_t first_queue{0};
    std::uint16_t last_queue{0};
    bool has_counter{false};
    std::uint64_t packets{0};  // the rule's counter (0 without one)
};

// One NFT_MSG_NEWRULE message of a dump. nullopt: the rule sends to no queue, or chooses the queue
// at run time from a register (queue to numgen/jhash/map): neither can be attributed to a range.
[[nodiscard]] std::optional<QueueRule> parse_queue_rule(const nlmsghdr* message);

struct QueueRuleCount {
    std::uint64_t packets{0};                // summed counters of the rules that reach the range
    std::uint32_t rules{0};                  // rules that send to a queue of the range
    std::uint32_t rules_without_counter{0};  // of those, rules without a counter (not counted)
};

// Adds `rule` to `count` if any of its queues lies in [first, last].
void add_queue_rule(QueueRuleCount& count, const QueueRule& rule, std::uint16_t first, std::uint16_t last) noexcept;

class QueueRuleCounterReader {
public:
    // Opens the netlink socket; throws std::system_error if it cannot.
    QueueRuleCounterReader();
    QueueRuleCounterReader(const QueueRuleCounterReader&) = delete;
    QueueRuleCounterReader& operator=(const QueueRuleCounterReader&) = delete;
    ~QueueRuleCounterReader();

    // The rules that send to queues [first, last], over the whole ruleset now. nullopt with errno
    // set when the dump failed (EPERM without CAP_NET_ADMIN, EINTR when the ruleset changed while
    // it was read twice in a row).
    [[nodiscard]] std::optional<QueueRuleCount> read(std::uint16_t first, std::uint16_t last);

private:
    [[nodiscard]] bool dump_once(std::uint16_t first, std::uint16_t last, QueueRuleCount& count);

    mnl_socket* socket_{nullptr};
    unsigned port_id_{0};
    std::uint32_t sequence_{0};
};

}  // namespace icmpgate::nfq
