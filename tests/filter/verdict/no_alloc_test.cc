// The hot path does not allocate (STYLE.md 3.10): decide() over a varied set of packets,
// through every step of the evaluation order, with keyed limiters inserting and evicting,
// makes no call to operator new.

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "filter/verdict/engine.h"
#include "tests/filter/verdict/policy_fixture.h"
#include "tests/support/alloc_counter.h"

namespace icmpgate::verdict {

namespace {

using decode::Anomaly;
using decode::AnomalyAction;
using decode::Family;
using rules::Verdict;
using namespace test;

constexpr std::size_t kRuns = 10'000;
constexpr std::int64_t kPacketSpacingNs = 1'000'000;  // 1000 packets/s

rules::CompiledPolicy varied_policy() {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    set_action(policy, Anomaly::unknown_type, AnomalyAction::drop);

    rules::LimiterSpec per_source;
    per_source.name = "echo-per-source";
    per_source.rate = 5;
    per_source.burst = 3;
    per_source.per = rules::LimiterScope::source;
    per_source.prefix_v4 = 28;
    per_source.prefix_v6 = 64;
    per_source.max_entries = 16;  // small: new sources keep evicting
    policy.limiters.push_back(per_source);
    const rules::LimiterIndex global = add_global_limiter(policy, "echo-global", 200, 10);

    add_rule(policy, "echo-v4", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept, {0, global});
    add_rule(policy, "echo-v6", match_types(Family::ipv6, {decode::icmp6::kEchoRequest}), Verdict::accept, {0});

    rules::CompiledMatch dns_unreachable = match_type_code(Family::ipv4, decode::icmp4::kDestUnreachable, 3);
    dns_unreachable.embedded.present = true;
    dns_unreachable.embedded.protocol.any = false;
    dns_unreachable.embedded.protocol.protocols.set(decode::kIpProtoUdp);
    dns_unreachable.embedded.destination_port.any = false;
    dns_unreachable.embedded.destination_port.ranges.push_back({53, 53});
    dns_unreachable.embedded.source.any = false;
    dns_unreachable.embedded.source.v4.push_back({ip("198.51.100.0"), 24});
    add_rule(policy, "dns-unreachable", dns_unreachable, Verdict::accept);

    rules::CompiledMatch from_lan = match_types(Family::ipv6, {decode::icmp6::kEchoReply});
    from_lan.in_interface.any = false;
    from_lan.in_interface.patterns.push_back({decode::InterfaceName::from("lan"), true});
    from_lan.source.any = false;
    from_lan.source.v6.push_back({ip("2001:db8::"), 32});
    add_rule(policy, "reply-from-lan", from_lan, Verdict::accept);

    // A rule in monitor mode before an enforced one: the walk goes on past it.
    const rules::LimiterIndex trial = add_global_limiter(policy, "trial", 50, 2);
    add_rule(policy, "try-unreachable", match_types(Family::ipv4, {decode::icmp4::kDestUnreachable}), Verdict::drop,
             {trial});
    policy.rules.back().mode = rules::RuleMode::monitor;
    add_rule(policy, "unreachable", match_types(Family::ipv4, {decode::icmp4::kDestUnreachable}), Verdict::accept);
    return policy;
}

std::vector<decode::DecodedPacket> varied_packets() {
    std::vector<decode::DecodedPacket> packets;
    packets.push_back(echo_v4());
    packets.push_back(echo_v6());
    packets.push_back(tcp_v4());
    packets.push_back(non_first_fragment_v4());
    packets.push_back(icmp(Family::ipv4, decode::icmp4::kTimeExceeded));
    packets.push_back(icmp(Family::ipv6, decode::icmp6::kPacketTooBig));
    packets.push_back(icmp(Family::ipv6, decode::icmp6::kEchoReply));
    packets.push_back(icmp(Family::ipv4, 99));                                  // unknown-type
    packets.push_back(icmp(Family::ipv4, decode::icmp4::kDestUnreachable, 1));  // the monitor rule, then "unreachable"

    decode::DecodedPacket unreachable = icmp(Family::ipv4, decode::icmp4::kDestUnreachable, 3);
    decode::QuotedPacket quote;
    quote.family = Family::ipv4;
    quote.protocol = decode::kIpProtoUdp;
    quote.src = unreachable.dst;
    quote.dst = ip("198.51.100.53");
    quote.transport_complete = true;
    quote.src_port = 40000;
    quote.dst_port = 53;
    unreachable.quoted = quote;
    packets.push_back(unreachable);

    decode::DecodedPacket bad = echo_v4();
    bad.anomalies.set(Anomaly::bad_checksum);
    bad.anomalies.set(Anomaly::implausible_mtu);
    packets.push_back(bad);
    return packets;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(no_alloc)

BOOST_AUTO_TEST_CASE(decide_makes_no_allocation_over_ten_thousand_varied_packets) {
    const rules::CompiledPolicy policy = varied_policy();
    const std::vector<decode::DecodedPacket> packets = varied_packets();
    rules::LimiterState limiters{policy.limiters, 0};
    std::array<decode::PacketMeta, 2> metas{};
    metas[0].in_interface = decode::InterfaceName::from("lan0");
    metas[1].in_interface = decode::InterfaceName::from("wan0");
    std::array<std::size_t, kReasonCount> reasons{};
    std::size_t would_be = 0;

    auto run = [&](std::size_t i) {
        decode::DecodedPacket packet = packets[i % packets.size()];
        // A new source now and then (within a /28 at a time): the table inserts and evicts.
        packet.src.bytes[3] = static_cast<std::uint8_t>(i / packets.size());
        decode::PacketMeta& meta = metas[i % metas.size()];
        meta.now_ns = static_cast<std::int64_t>(i) * kPacketSpacingNs;
        Decision d = decide(policy, packet, meta, limiters);
        if (d.would_be) ++would_be;
        if (i % 7 == 0) d = monitored(d);  // run --monitor's conversion, in the pipeline
        ++reasons[static_cast<std::size_t>(d.reason)];
    };

    for (std::size_t i = 0; i < packets.size(); ++i) run(i);  // warm-up
    reasons = {};
    would_be = 0;

    const std::uint64_t before = ::icmpgate::test::allocation_count();
    for (std::size_t i = 0; i < kRuns; ++i) run(i);
    const std::uint64_t after = ::icmpgate::test::allocation_count();

    BOOST_TEST(after - before == 0U);
    // Every step of the order was exercised.
    for (std::size_t r = 0; r < kReasonCount; ++r)
        BOOST_TEST(reasons[r] > 0U, "reason " << reason_name(static_cast<Reason>(r)) << " never decided");
    BOOST_TEST(limiters.evictions(0) > 0U);
    BOOST_TEST(would_be > 0U);  // the monitor rule matched
}

BOOST_AUTO_TEST_CASE(allocation_counter_sees_operator_new) {
    const std::uint64_t before = ::icmpgate::test::allocation_count();
    struct alignas(64) OverAligned {
        std::array<std::uint8_t, 64> bytes;
    };
    int* volatile plain = new int(7);
    delete plain;
    OverAligned* volatile aligned = new OverAligned{};  // operator new(size, align_val_t)
    delete aligned;
    BOOST_TEST(::icmpgate::test::allocation_count() - before == 2U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::verdict
