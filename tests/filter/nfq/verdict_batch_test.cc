#include "filter/nfq/verdict_batch.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace icmpgate::nfq {
namespace {

struct Message {
    int type;  // NFQNL_MSG_VERDICT or NFQNL_MSG_VERDICT_BATCH
    std::uint32_t id;
    std::uint32_t verdict;
};

std::vector<Message> serialize(const std::vector<PendingVerdict>& verdicts) {
    std::vector<char> buf(verdicts.size() * kVerdictMessageMax);
    const std::size_t used = serialize_verdicts(verdicts, 5, buf);
    std::vector<Message> out;
    int remaining = static_cast<int>(used);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data()); mnl_nlmsg_ok(nlh, remaining);
         nlh = mnl_nlmsg_next(nlh, &remaining)) {
        const auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, sizeof(nfgenmsg)));
        const auto* hdr = static_cast<const nfqnl_msg_verdict_hdr*>(mnl_attr_get_payload(attr));
        out.push_back({nlh->nlmsg_type & 0xFF, ntohl(hdr->id), ntohl(hdr->verdict)});
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verdict_batch)

BOOST_AUTO_TEST_CASE(a_run_of_equal_verdicts_is_one_batch_message_for_its_last_id) {
    const auto m = serialize({{1, Verdict::accept}, {2, Verdict::accept}, {3, Verdict::accept}});
    BOOST_TEST_REQUIRE(m.size() == 1U);
    BOOST_TEST(m[0].type == NFQNL_MSG_VERDICT_BATCH);
    BOOST_TEST(m[0].id == 3U);
    BOOST_TEST(m[0].verdict == static_cast<std::uint32_t>(NF_ACCEPT));
}

BOOST_AUTO_TEST_CASE(mixed_verdicts_become_one_message_per_run_not_per_packet) {
    const auto m = serialize({{10, Verdict::accept},
                              {11, Verdict::accept},
                              {12, Verdict::drop},
                              {13, Verdict::drop},
                              {14, Verdict::drop},
                              {15, Verdict::accept}});
    BOOST_TEST_REQUIRE(m.size() == 3U);
    BOOST_TEST((m[0].type == NFQNL_MSG_VERDICT_BATCH && m[0].id == 11U && m[0].verdict == NF_ACCEPT));
    BOOST_TEST((m[1].type == NFQNL_MSG_VERDICT_BATCH && m[1].id == 14U && m[1].verdict == NF_DROP));
    BOOST_TEST((m[2].type == NFQNL_MSG_VERDICT && m[2].id == 15U && m[2].verdict == NF_ACCEPT));
}

BOOST_AUTO_TEST_CASE(ids_that_do_not_increase_are_never_batched_together) {
    // A batch verdict covers every pending id up to its id: out-of-order ids must not share one.
    const auto m = serialize({{7, Verdict::drop}, {3, Verdict::drop}});
    BOOST_TEST_REQUIRE(m.size() == 2U);
    BOOST_TEST((m[0].type == NFQNL_MSG_VERDICT && m[0].id == 7U));
    BOOST_TEST((m[1].type == NFQNL_MSG_VERDICT && m[1].id == 3U));
}

BOOST_AUTO_TEST_CASE(nothing_to_send_writes_nothing) {
    BOOST_TEST(serialize({}).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::nfq
