#include "filter/nfq/queue_socket.h"

#include <arpa/inet.h>  // before the kernel's headers: <linux/in.h> yields to glibc's <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

#include "tests/filter/nfq/fake_kernel.h"

namespace icmpgate::nfq {
namespace {

using test::FakeChannel;
using test::FakeKernelState;
using test::SentVerdict;

struct Fixture {
    std::shared_ptr<FakeKernelState> kernel = std::make_shared<FakeKernelState>();
    QueueSocket open(const QueueConfig& config) { return QueueSocket(config, std::make_unique<FakeChannel>(kernel)); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(queue_socket)

BOOST_FIXTURE_TEST_CASE(binds_then_configures_the_queue_each_acknowledged, Fixture) {
    const QueueSocket socket = open(
        {.queue_number = 7, .copy_range = 1500, .max_length = 4096, .receive_buffer = 1U << 22U, .fail_open = true});
    BOOST_TEST(socket.queue_number() == 7U);
    BOOST_REQUIRE(kernel->sent.size() == 2U);
    const auto bind = test::configs_in(kernel->sent[0]);
    BOOST_REQUIRE(bind.size() == 1U);
    BOOST_TEST(bind[0].queue == 7U);
    BOOST_TEST(bind[0].ack);
    BOOST_TEST(test::value_or_absent(bind[0].command) == NFQNL_CFG_CMD_BIND);

    const auto params = test::configs_in(kernel->sent[1]);
    BOOST_REQUIRE(params.size() == 1U);
    BOOST_TEST(params[0].queue == 7U);
    BOOST_TEST(params[0].ack);
    BOOST_TEST(test::value_or_absent(params[0].command) == -1);
    BOOST_TEST(test::value_or_absent(params[0].copy_mode) == NFQNL_COPY_PACKET);
    BOOST_TEST(test::value_or_absent(params[0].copy_range) == 1500);
    BOOST_TEST(test::value_or_absent(params[0].max_length) == 4096);
    BOOST_TEST(test::value_or_absent(params[0].flags) == (NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN));
    BOOST_TEST(test::value_or_absent(params[0].mask) == (NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN));

    BOOST_TEST(test::value_or_absent(kernel->receive_buffer) == (1 << 22));
    BOOST_TEST(kernel->overruns_reported);
    BOOST_TEST(kernel->pending_acks.empty());  // each ack was read
}

BOOST_FIXTURE_TEST_CASE(fail_closed_clears_the_fail_open_flag_under_its_mask, Fixture) {
    (void)open({.queue_number = 0, .fail_open = false});
    const auto params = test::configs_in(kernel->sent.at(1));
    BOOST_TEST(test::value_or_absent(params.at(0).flags) == NFQA_CFG_F_GSO);
    BOOST_TEST(test::value_or_absent(params.at(0).mask) == (NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN));
}

BOOST_FIXTURE_TEST_CASE(a_refused_bind_throws_naming_the_queue_and_the_error, Fixture) {
    kernel->ack_errors = {EBUSY};
    try {
        (void)open({.queue_number = 3});
        BOOST_FAIL("the bind was refused, yet the socket opened");
    } catch (const std::system_error& e) {
        BOOST_TEST(e.code().value() == EBUSY);
        BOOST_TEST(std::string{e.what()}.starts_with("binding queue 3 (is another process bound to it?"));
    }
    BOOST_TEST(kernel->sent.size() == 1U);  // nothing configured after the refusal
}

BOOST_FIXTURE_TEST_CASE(a_refused_configuration_throws_naming_the_step, Fixture) {
    kernel->ack_errors = {0, EINVAL};
    try {
        (void)open({.queue_number = 2});
        BOOST_FAIL("the configuration was refused, yet the socket opened");
    } catch (const std::system_error& e) {
        BOOST_TEST(e.code().value() == EINVAL);
        BOOST_TEST(std::string{e.what()}.starts_with("configuring queue 2"));
    }
}

BOOST_FIXTURE_TEST_CASE(receive_hands_over_datagrams_and_reports_overruns, Fixture) {
    QueueSocket socket = open({});
    kernel->to_deliver.push_back(test::packet_datagram({.id = 5, .payload = {0x45, 0, 0, 20}}));
    kernel->to_deliver.push_back({});  // ENOBUFS
    std::vector<char> buffer(4096);
    BOOST_TEST(socket.wait_readable(0));
    BOOST_TEST(socket.receive(buffer, false) > 0);
    BOOST_TEST(socket.receive(buffer, false) == -1);
    BOOST_TEST(errno == ENOBUFS);
    BOOST_TEST(socket.receive(buffer, false) == -1);
    BOOST_TEST(errno == EAGAIN);
    BOOST_TEST(!socket.wait_readable(0));
}

BOOST_FIXTURE_TEST_CASE(verdicts_wait_for_flush_then_go_in_one_send, Fixture) {
    QueueSocket socket = open({.queue_number = 1});
    socket.add_verdict(10, Verdict::accept);
    socket.add_verdict(11, Verdict::accept);
    socket.add_verdict(12, Verdict::drop);
    socket.add_verdict(13, Verdict::accept);
    BOOST_TEST(socket.pending_verdicts() == 4U);
    BOOST_TEST(kernel->sent.size() == 2U);  // nothing sent before flush()
    BOOST_TEST(socket.flush());
    BOOST_TEST(socket.pending_verdicts() == 0U);
    BOOST_REQUIRE(kernel->sent.size() == 3U);
    const std::vector<SentVerdict> expected{
        {true, 1, 11, NF_ACCEPT}, {false, 1, 12, NF_DROP}, {false, 1, 13, NF_ACCEPT}};
    BOOST_TEST(test::verdicts_in(kernel->sent[2]) == expected, boost::test_tools::per_element());
    BOOST_TEST(socket.flush());  // nothing pending: nothing sent
    BOOST_TEST(kernel->sent.size() == 3U);
}

BOOST_FIXTURE_TEST_CASE(a_failed_send_is_reported_and_its_verdicts_are_not_sent_again, Fixture) {
    QueueSocket socket = open({});
    socket.add_verdict(1, Verdict::drop);
    kernel->send_errno = ENOBUFS;
    BOOST_TEST(!socket.flush());
    BOOST_TEST(errno == ENOBUFS);
    BOOST_TEST(socket.pending_verdicts() == 0U);
    kernel->send_errno = 0;
    BOOST_TEST(socket.flush());
    BOOST_TEST(kernel->sent.size() == 2U);
}

BOOST_FIXTURE_TEST_CASE(more_verdicts_than_the_pending_bound_are_flushed_on_the_way, Fixture) {
    QueueSocket socket = open({});
    constexpr std::uint32_t kMany = 1500;  // past the 1024 queued verdicts one send holds
    for (std::uint32_t id = 1; id <= kMany; ++id) socket.add_verdict(id, id % 2 == 0 ? Verdict::drop : Verdict::accept);
    BOOST_TEST(kernel->sent.size() == 3U);  // the first 1024 went when the 1025th came
    BOOST_TEST(socket.flush());
    const std::vector<SentVerdict> all = test::all_verdicts(*kernel);
    BOOST_REQUIRE(all.size() == kMany);
    for (std::uint32_t id = 1; id <= kMany; ++id) {
        BOOST_TEST(all[id - 1].id == id);
        BOOST_TEST(all[id - 1].verdict == (id % 2 == 0 ? NF_DROP : NF_ACCEPT));
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::nfq
