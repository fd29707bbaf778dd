#include "filter/nfq/queue_rule_counters.h"

#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <vector>

namespace icmpgate::nfq {
namespace {

// A rule message as the kernel's dump carries it, built with libnftnl (nft's own library).
class RuleMessage {
public:
    RuleMessage() : rule_{nftnl_rule_alloc()} {
        nftnl_rule_set_u32(rule_, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
        nftnl_rule_set_str(rule_, NFTNL_RULE_TABLE, "security");
        nftnl_rule_set_str(rule_, NFTNL_RULE_CHAIN, "ICMPGATE-FWD");
    }
    ~RuleMessage() { nftnl_rule_free(rule_); }
    RuleMessage(const RuleMessage&) = delete;
    RuleMessage& operator=(const RuleMessage&) = delete;

    RuleMessage& counter(std::uint64_t packets) {
        nftnl_expr* e = nftnl_expr_alloc("counter");
        nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, packets);
        nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, packets * 84);
        nftnl_rule_add_expr(rule_, e);
        return *this;
    }
    RuleMessage& queue(std::uint16_t number, std::uint16_t total) {
        nftnl_expr* e = nftnl_expr_alloc("queue");
        nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, number);
        nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, total);
        nftnl_rule_add_expr(rule_, e);
        return *this;
    }
    RuleMessage& queue_from_register() {
        nftnl_expr* e = nftnl_expr_alloc("queue");
        nftnl_expr_set_u32(e, NFTNL_EXPR_QUEUE_SREG_QNUM, NFT_REG32_00);
        nftnl_rule_add_expr(rule_, e);
        return *this;
    }
    // iptables-nft's -j NFQUEUE: an xt target; revision 3 info = queuenum, queues_total, flags.
    RuleMessage& nfqueue_target(std::uint32_t revision, std::uint16_t number, std::uint16_t total) {
        std::array<std::uint16_t, 4> info{number, total, 1, 0};  // padded to 8 bytes like XT_ALIGN
        const std::size_t length = revision == 0 ? 8 : info.size() * sizeof(std::uint16_t);
        auto* blob = static_cast<char*>(std::malloc(length));
        std::memset(blob, 0, length);
        std::memcpy(blob, info.data(), revision == 0 ? sizeof(std::uint16_t) : length);
        nftnl_expr* e = nftnl_expr_alloc("target");
        nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, "NFQUEUE");
        nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, revision);
        nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, blob, static_cast<std::uint32_t>(length));  // takes ownership
        nftnl_rule_add_expr(rule_, e);
        return *this;
    }
    RuleMessage& accept() {
        nftnl_expr* e = nftnl_expr_alloc("immediate");
        nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
        nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
        nftnl_rule_add_expr(rule_, e);
        return *this;
    }
    const nlmsghdr* message() {
        buffer_.assign(8192, 0);
        nlmsghdr* nlh = nftnl_nlmsg_build_hdr(buffer_.data(), NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, 1);
        nftnl_rule_nlmsg_build_payload(nlh, rule_);
        return nlh;
    }

private:
    nftnl_rule* rule_;
    std::vector<char> buffer_;
};

BOOST_AUTO_TEST_SUITE(queue_rule_counters)

BOOST_AUTO_TEST_CASE(nft_queue_statement_with_a_counter) {
    RuleMessage m;
    m.counter(1234).queue(0, 2);  // counter queue flags bypass,fanout to 0-1
    const auto rule = parse_queue_rule(m.message());
    BOOST_REQUIRE(rule.has_value());
    BOOST_TEST(rule->first_queue == 0);
    BOOST_TEST(rule->last_queue == 1);
    BOOST_TEST(rule->has_counter);
    BOOST_TEST(rule->packets == 1234U);
}

BOOST_AUTO_TEST_CASE(iptables_nft_nfqueue_target_revisions) {
    RuleMessage balance;
    balance.counter(77).nfqueue_target(3, 4, 3);  // --queue-balance 4:6
    const auto r3 = parse_queue_rule(balance.message());
    BOOST_REQUIRE(r3.has_value());
    BOOST_TEST(r3->first_queue == 4);
    BOOST_TEST(r3->last_queue == 6);
    BOOST_TEST(r3->packets == 77U);
    RuleMessage single;
    single.counter(5).nfqueue_target(0, 9, 0);  // revision 0: --queue-num 9 only
    const auto r0 = parse_queue_rule(single.message());
    BOOST_REQUIRE(r0.has_value());
    BOOST_TEST(r0->first_queue == 9);
    BOOST_TEST(r0->last_queue == 9);
}

BOOST_AUTO_TEST_CASE(rules_that_do_not_queue_or_choose_the_queue_per_packet_are_left_out) {
    RuleMessage accept;
    accept.counter(10).accept();
    BOOST_TEST(!parse_queue_rule(accept.message()).has_value());
    RuleMessage by_register;
    by_register.counter(10).queue_from_register();
    BOOST_TEST(!parse_queue_rule(by_register.message()).has_value());
}

BOOST_AUTO_TEST_CASE(only_rules_reaching_the_range_count) {
    QueueRuleCount count;
    add_queue_rule(count, {.first_queue = 0, .last_queue = 1, .has_counter = true, .packets = 100}, 0, 1);
    add_queue_rule(count, {.first_queue = 1, .last_queue = 3, .has_counter = true, .packets = 20}, 0, 1);  // overlaps
    add_queue_rule(count, {.first_queue = 2, .last_queue = 3, .has_counter = true, .packets = 1000}, 0,
                   1);  // another daemon's
    add_queue_rule(count, {.first_queue = 0, .last_queue = 0, .has_counter = false, .packets = 0}, 0, 1);
    BOOST_TEST(count.rules == 3U);
    BOOST_TEST(count.rules_without_counter == 1U);
    BOOST_TEST(count.packets == 120U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::nfq
