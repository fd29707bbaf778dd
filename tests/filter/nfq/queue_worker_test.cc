#include "filter/nfq/queue_worker.h"

#include <arpa/inet.h>  // before the kernel's headers: <linux/in.h> yields to glibc's <netinet/in.h>
#include <linux/netfilter.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/filter/nfq/fake_kernel.h"
#include "tests/filter/pipeline/pipeline_fixture.h"

namespace icmpgate::nfq {
namespace {

using pipeline::SourceCounter;
using test::PacketMessage;
using test::SentVerdict;
using verdict::Reason;

constexpr std::int64_t kSecond = 1'000'000'000;

// The fake clocks: the monotonic clock advances one second per batch (the worker reads it once
// per batch), the wall clock counts its reads.
std::int64_t g_monotonic_ns = 0;
int g_wall_reads = 0;
std::int64_t fake_monotonic() noexcept {
    return g_monotonic_ns += kSecond;
}
std::int64_t fake_wall() noexcept {
    ++g_wall_reads;
    return 1'747'736'100 * kSecond;
}
decode::InterfaceName fake_resolver(std::uint32_t ifindex) noexcept {
    return decode::InterfaceName::from(ifindex == 2 ? "gw-c" : "gw-r2");
}

// A worker over the fake kernel, its lines kept, run until everything queued was delivered.
struct Fixture {
    explicit Fixture(std::uint32_t log_rate = 0) : suppressor{log_rate} {
        g_monotonic_ns = 0;
        g_wall_reads = 0;
        kernel->stop_when_drained = &stop;
        options.suppressor = log_rate > 0 ? &suppressor : nullptr;
        options.monotonic_clock = fake_monotonic;
        options.wall_clock = fake_wall;
        options.resolve_interface = fake_resolver;
    }
    void run(bool with_log = true) {
        QueueWorker worker{QueueSocket({.queue_number = 9}, std::make_unique<test::FakeChannel>(kernel)),
                           policy,
                           with_log ? &out : nullptr,
                           epoch,
                           counters,
                           options};
        worker.run(stop);
    }
    void deliver(const PacketMessage& p) { kernel->to_deliver.push_back(test::packet_datagram(p)); }
    [[nodiscard]] std::uint64_t count(SourceCounter c) const { return counters.source.get(c); }

    std::shared_ptr<test::FakeKernelState> kernel = std::make_shared<test::FakeKernelState>();
    pipeline::ActivePolicyHandle policy{std::make_shared<pipeline::ActivePolicy>(pipeline::test::compiled_policy(), 0)};
    log::LogSuppressor suppressor;
    pipeline::test::KeptLines out;
    InterfaceNamesEpoch epoch;
    QueueCounters counters;
    WorkerOptions options;
    std::atomic<bool> stop{false};
};

struct Suppressing : Fixture {
    Suppressing() : Fixture(2) {}
};

}  // namespace

BOOST_AUTO_TEST_SUITE(queue_worker)

BOOST_FIXTURE_TEST_CASE(each_packet_gets_its_verdict_and_is_counted_by_source_and_by_decision, Fixture) {
    deliver({.id = 1, .payload = pipeline::test::echo_from("192.0.2.1")});    // rule: accept
    deliver({.id = 2, .payload = pipeline::test::echo_from("203.0.113.1")});  // rule: drop
    deliver({.id = 3, .payload = pipeline::test::bad_checksum_echo()});       // anomaly: drop
    deliver({.id = 4, .payload = pipeline::test::tcp_segment()});             // not-icmp: accept
    deliver({.id = 5, .payload = pipeline::test::echo6()});                   // default: drop
    run(false);

    const std::vector<SentVerdict> expected{
        {false, 9, 1, NF_ACCEPT}, {true, 9, 3, NF_DROP}, {false, 9, 4, NF_ACCEPT}, {false, 9, 5, NF_DROP}};
    BOOST_TEST(test::all_verdicts(*kernel) == expected, boost::test_tools::per_element());
    BOOST_TEST(kernel->sent.size() == 3U);  // bind, configure, one send for the batch
    BOOST_TEST(count(SourceCounter::received) == 5U);
    BOOST_TEST(count(SourceCounter::accepted) == 2U);
    BOOST_TEST(count(SourceCounter::dropped) == 3U);
    BOOST_TEST(count(SourceCounter::malformed) == 0U);
    const pipeline::VerdictCounts v = counters.verdicts.snapshot();
    BOOST_TEST(v.of(Reason::rule) == 2U);
    BOOST_TEST(v.of(Reason::anomaly) == 1U);
    BOOST_TEST(v.of(decode::Anomaly::bad_checksum) == 1U);
    BOOST_TEST(v.of(Reason::not_icmp) == 1U);
    BOOST_TEST(v.of(Reason::default_verdict) == 1U);
    BOOST_TEST(v.by_family[pipeline::verdict_index(rules::Verdict::drop)][1] == 1U);  // the IPv6 echo
    BOOST_TEST(policy.load()->rule_hits[0].load() == 1U);
    BOOST_TEST(policy.load()->rule_hits[1].load() == 1U);
}

BOOST_FIXTURE_TEST_CASE(a_batch_is_at_most_64_datagrams_and_one_send_each, Fixture) {
    for (std::uint32_t id = 1; id <= 100; ++id) deliver({.id = id, .payload = pipeline::test::tcp_segment()});
    run(false);
    BOOST_REQUIRE(kernel->sent.size() == 4U);  // bind, configure, then the verdicts of 64 and of 36
    const std::vector<SentVerdict> first{{true, 9, 64, NF_ACCEPT}};
    const std::vector<SentVerdict> second{{true, 9, 100, NF_ACCEPT}};
    BOOST_TEST(test::verdicts_in(kernel->sent[2]) == first, boost::test_tools::per_element());
    BOOST_TEST(test::verdicts_in(kernel->sent[3]) == second, boost::test_tools::per_element());
    BOOST_TEST(count(SourceCounter::received) == 100U);
}

BOOST_FIXTURE_TEST_CASE(the_kernels_bursts_end_a_batch_early, Fixture) {
    kernel->burst = 3;
    for (std::uint32_t id = 1; id <= 7; ++id) deliver({.id = id, .payload = pipeline::test::tcp_segment()});
    run(false);
    BOOST_TEST(kernel->sent.size() == 2U + 3U);  // 3 + 3 + 1
    BOOST_TEST(count(SourceCounter::accepted) == 7U);
}

BOOST_FIXTURE_TEST_CASE(messages_without_an_id_overruns_and_acks_are_counted_apart, Fixture) {
    deliver({.id = 1, .payload = pipeline::test::tcp_segment(), .with_header = false});  // malformed: no verdict
    kernel->to_deliver.push_back({});                                                    // ENOBUFS
    // One datagram of two packet messages and an ack (NLMSG_ERROR) the worker did not ask for.
    test::Datagram several;
    test::append_packet_message(several, {.id = 2, .payload = pipeline::test::tcp_segment()});
    test::append_packet_message(several, {.id = 3, .payload = pipeline::test::echo_from("203.0.113.1")});
    const std::size_t at = several.size();
    several.resize(at + NLMSG_SPACE(sizeof(nlmsgerr)));
    auto* ack = reinterpret_cast<nlmsghdr*>(several.data() + at);
    ack->nlmsg_len = NLMSG_SPACE(sizeof(nlmsgerr));
    ack->nlmsg_type = NLMSG_ERROR;
    kernel->to_deliver.push_back(several);
    deliver({.id = 4, .payload = {}, .with_payload = false});  // an id but no payload: still a verdict
    run(false);

    BOOST_TEST(count(SourceCounter::received) == 4U);
    BOOST_TEST(count(SourceCounter::malformed) == 1U);
    BOOST_TEST(count(SourceCounter::enobufs) == 1U);
    BOOST_TEST(count(SourceCounter::accepted) + count(SourceCounter::dropped) == 3U);
    std::vector<std::uint32_t> ids;
    for (const SentVerdict& v : test::all_verdicts(*kernel)) ids.push_back(v.id);
    const std::vector<std::uint32_t> expected{2, 3, 4};
    BOOST_TEST(ids == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(a_refused_verdict_send_is_counted, Fixture) {
    deliver({.id = 1, .payload = pipeline::test::tcp_segment()});
    QueueWorker worker{QueueSocket({.queue_number = 9}, std::make_unique<test::FakeChannel>(kernel)),
                       policy,
                       nullptr,
                       epoch,
                       counters,
                       options};
    kernel->send_errno = EPERM;  // once the socket is configured
    worker.run(stop);
    BOOST_TEST(count(SourceCounter::verdict_send_errors) == 1U);
    BOOST_TEST(count(SourceCounter::accepted) == 1U);  // given, though the kernel never got it
}

BOOST_FIXTURE_TEST_CASE(lines_carry_queue_packet_id_interfaces_and_one_wall_clock_per_batch, Fixture) {
    deliver({.id = 11, .payload = pipeline::test::echo_from("192.0.2.1"), .in_ifindex = 2, .out_ifindex = 3});
    deliver({.id = 12, .payload = pipeline::test::tcp_segment(), .in_ifindex = 2, .out_ifindex = 3});
    deliver({.id = 13, .payload = pipeline::test::echo_from("203.0.113.1")});  // "log": false
    run();
    BOOST_REQUIRE(out.lines.size() == 2U);
    const nlohmann::json first = nlohmann::json::parse(out.lines[0]);
    BOOST_TEST(first["icmpgate"]["queue"] == 9);
    BOOST_TEST(first["icmpgate"]["packet_id"] == 11);
    BOOST_TEST(first["in_iface"] == "gw-c");
    BOOST_TEST(first["icmpgate"]["out_iface"] == "gw-r2");
    BOOST_TEST(first["timestamp"] == "2025-05-20T10:15:00.000000+0000");
    BOOST_TEST(nlohmann::json::parse(out.lines[1])["icmpgate"]["packet_id"] == 12);
    BOOST_TEST(g_wall_reads == 1);
}

// The writer is woken once per batch, after the batch's verdicts were sent: the wake-up cannot
// preempt the thread while the kernel holds the batch's packets.
BOOST_FIXTURE_TEST_CASE(the_log_batch_ends_after_the_verdicts_are_sent, Fixture) {
    class WatchingOutput final : public pipeline::LineOutput {
    public:
        explicit WatchingOutput(const test::FakeKernelState& kernel) : kernel_{kernel} {}
        bool submit(std::string_view) noexcept override {
            ++lines;
            return true;
        }
        void end_batch() noexcept override {
            if (lines > 0) sends_at_end.push_back(kernel_.sent.size());
            lines = 0;
        }
        int lines{0};
        std::vector<std::size_t> sends_at_end;

    private:
        const test::FakeKernelState& kernel_;
    };
    WatchingOutput watching{*kernel};
    for (std::uint32_t id = 1; id <= 70; ++id) deliver({.id = id, .payload = pipeline::test::tcp_segment()});
    QueueWorker worker{QueueSocket({.queue_number = 9}, std::make_unique<test::FakeChannel>(kernel)),
                       policy,
                       &watching,
                       epoch,
                       counters,
                       options};
    worker.run(stop);
    const std::vector<std::size_t> expected{3, 4};  // after the first batch's send, then the second's
    BOOST_TEST(watching.sends_at_end == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(log_rate_is_shared_and_every_suppressed_line_is_summarised_by_the_end, Suppressing) {
    for (std::uint32_t id = 1; id <= 10; ++id) deliver({.id = id, .payload = pipeline::test::tcp_segment()});
    run();
    std::size_t alerts = 0;
    std::uint64_t summarised = 0;
    for (const std::string& line : out.lines) {
        const nlohmann::json j = nlohmann::json::parse(line);
        if (j["event_type"] == "alert")
            ++alerts;
        else
            summarised += j["icmpgate"]["lines_suppressed"].get<std::uint64_t>();
    }
    BOOST_TEST(alerts == 2U);
    BOOST_TEST(counters.log.suppressed.get() == 8U);
    BOOST_TEST(summarised == 8U);  // written when the worker stopped
    BOOST_TEST(count(SourceCounter::accepted) == 10U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::nfq
