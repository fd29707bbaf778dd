#include "filter/verdict/engine.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <ostream>

#include "tests/filter/verdict/policy_fixture.h"
#include "tests/support/fake_clock.h"

namespace icmpgate::verdict {

std::ostream& operator<<(std::ostream& out, const Decision& d) {
    out << (d.verdict == rules::Verdict::accept ? "accept" : "drop") << ' ' << reason_name(d.reason);
    if (d.reason == Reason::anomaly) out << ':' << decode::anomaly_name(d.anomaly);
    out << " rule=";
    if (d.rule)
        out << *d.rule;
    else
        out << "none";
    out << " limiter=";
    if (d.limiter)
        out << *d.limiter;
    else
        out << "none";
    if (d.would_be) {
        Decision would_be;
        static_cast<Outcome&>(would_be) = *d.would_be;
        out << " would-be: " << would_be;
    }
    return out;
}

namespace {

using decode::Anomaly;
using decode::AnomalyAction;
using decode::Family;
using rules::Verdict;
using namespace test;

Decision expect(Verdict verdict, Reason reason) {
    Decision d;
    d.verdict = verdict;
    d.reason = reason;
    return d;
}

Decision expect_anomaly(Verdict verdict, Anomaly anomaly) {
    Decision d = expect(verdict, Reason::anomaly);
    d.anomaly = anomaly;
    return d;
}

Decision expect_rule(Verdict verdict, rules::RuleIndex rule) {
    Decision d = expect(verdict, Reason::rule);
    d.rule = rule;
    return d;
}

// A decision with what a monitor rule would have decided.
Decision with_would_be(Decision d, const Decision& would_be) {
    d.would_be = static_cast<const Outcome&>(would_be);
    return d;
}

rules::RuleIndex add_monitor_rule(rules::CompiledPolicy& policy, std::string id, rules::CompiledMatch match,
                                  rules::Verdict verdict, std::vector<rules::LimiterIndex> limiters = {}) {
    const rules::RuleIndex index = add_rule(policy, std::move(id), std::move(match), verdict, std::move(limiters));
    policy.rules[index].mode = rules::RuleMode::monitor;
    return index;
}

Decision expect_rate_limit(rules::RuleIndex rule, rules::LimiterIndex limiter) {
    Decision d = expect(Verdict::drop, Reason::rate_limit);
    d.rule = rule;
    d.limiter = limiter;
    return d;
}

// decide() with a fresh limiter state for the policy.
Decision decide_once(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                     const decode::PacketMeta& meta = {}) {
    rules::LimiterState limiters{policy.limiters};
    return decide(policy, packet, meta, limiters);
}

struct ProtectedCase {
    Family family;
    std::uint8_t type;
    std::uint8_t code;
    bool is_protected;
};

std::ostream& operator<<(std::ostream& out, const ProtectedCase& c) {
    return out << (c.family == Family::ipv4 ? "v4 " : "v6 ") << unsigned{c.type} << '/' << unsigned{c.code};
}

const ProtectedCase kProtectedCases[] = {
    {Family::ipv4, decode::icmp4::kDestUnreachable, decode::icmp4::kCodeFragNeeded, true},
    {Family::ipv4, decode::icmp4::kTimeExceeded, 0, true},
    {Family::ipv4, decode::icmp4::kTimeExceeded, 1, true},
    {Family::ipv6, decode::icmp6::kPacketTooBig, 0, true},
    {Family::ipv6, decode::icmp6::kTimeExceeded, 0, true},
    {Family::ipv6, decode::icmp6::kTimeExceeded, 1, true},
    {Family::ipv4, decode::icmp4::kDestUnreachable, 3, false},
    {Family::ipv4, decode::icmp4::kEchoRequest, 0, false},
    {Family::ipv6, decode::icmp6::kDestUnreachable, 4, false},
    {Family::ipv6, decode::icmp6::kParameterProblem, 2, false},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

// --- 1. decode ---

BOOST_AUTO_TEST_CASE(non_icmp_packet_is_accepted_as_not_icmp) {
    const rules::CompiledPolicy policy = base_policy(Verdict::drop);
    BOOST_TEST(decide_once(policy, tcp_v4()) == expect(Verdict::accept, Reason::not_icmp));
    BOOST_TEST(decide_once(policy, decode::DecodedPacket{}) == expect(Verdict::accept, Reason::not_icmp));
}

BOOST_AUTO_TEST_CASE(wrong_family_is_not_icmp_while_its_anomaly_is_off) {
    const rules::CompiledPolicy policy = base_policy(Verdict::drop);
    decode::DecodedPacket p = tcp_v4();
    p.protocol = decode::kIpProtoIcmpv6;
    p.anomalies.set(Anomaly::wrong_family);
    BOOST_TEST(decide_once(policy, p) == expect(Verdict::accept, Reason::not_icmp));
}

BOOST_AUTO_TEST_CASE(wrong_family_decides_when_the_policy_enables_it) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    set_action(policy, Anomaly::wrong_family, AnomalyAction::drop);
    decode::DecodedPacket p = tcp_v4();
    p.protocol = decode::kIpProtoIcmpv6;
    p.anomalies.set(Anomaly::wrong_family);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::wrong_family));
}

BOOST_AUTO_TEST_CASE(non_icmp_packet_ignores_other_anomalies) {
    // Only wrong-family is judged for a packet that is not ICMP of its family.
    const rules::CompiledPolicy policy = base_policy(Verdict::drop);
    decode::DecodedPacket p = tcp_v4();
    p.anomalies.set(Anomaly::truncated);
    BOOST_TEST(decide_once(policy, p) == expect(Verdict::accept, Reason::not_icmp));
}

// --- 2. anomalies ---

BOOST_AUTO_TEST_CASE(anomaly_with_drop_action_drops_before_any_rule) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_rule(policy, "accept-all", match_types(Family::ipv4, {}), Verdict::accept);
    decode::DecodedPacket p = echo_v4();
    p.anomalies.set(Anomaly::bad_checksum);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::bad_checksum));
}

BOOST_AUTO_TEST_CASE(first_anomaly_in_table_order_wins) {
    const rules::CompiledPolicy policy = base_policy();
    decode::DecodedPacket p = echo_v4();
    p.anomalies.set(Anomaly::bad_checksum);  // set in reverse order: the table decides, not the order set
    p.anomalies.set(Anomaly::truncated);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::truncated));
}

BOOST_AUTO_TEST_CASE(disabled_first_anomaly_lets_the_second_decide) {
    rules::CompiledPolicy policy = base_policy();
    set_action(policy, Anomaly::truncated, AnomalyAction::off);
    decode::DecodedPacket p = echo_v4();
    p.anomalies.set(Anomaly::truncated);
    p.anomalies.set(Anomaly::bad_checksum);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::bad_checksum));
}

BOOST_AUTO_TEST_CASE(anomaly_with_accept_action_accepts_without_rules) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    set_action(policy, Anomaly::quoted_multicast, AnomalyAction::accept);
    add_rule(policy, "drop-all", match_types(Family::ipv4, {}), Verdict::drop);
    decode::DecodedPacket p = icmp(Family::ipv4, decode::icmp4::kDestUnreachable, 3);
    p.anomalies.set(Anomaly::quoted_multicast);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::accept, Anomaly::quoted_multicast));
}

BOOST_AUTO_TEST_CASE(non_first_fragment_is_accepted_by_the_fragment_anomaly_default) {
    const rules::CompiledPolicy policy = base_policy(Verdict::drop);
    BOOST_TEST(decide_once(policy, non_first_fragment_v4()) == expect_anomaly(Verdict::accept, Anomaly::fragment));
}

BOOST_AUTO_TEST_CASE(extra_anomaly_is_off_by_default_and_rules_decide) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_rule(policy, "echo", match_types(Family::ipv6, {decode::icmp6::kEchoRequest}), Verdict::accept);
    decode::DecodedPacket p = echo_v6();
    p.anomalies.set(Anomaly::bad_hop_limit);
    BOOST_TEST(decide_once(policy, p) == expect_rule(Verdict::accept, 0));
}

BOOST_AUTO_TEST_CASE(extra_anomaly_decides_when_enabled) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    set_action(policy, Anomaly::bad_hop_limit, AnomalyAction::drop);
    decode::DecodedPacket p = echo_v6();
    p.anomalies.set(Anomaly::bad_hop_limit);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::bad_hop_limit));
}

BOOST_AUTO_TEST_CASE(unassigned_type_is_an_unknown_type_anomaly_when_enabled) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    set_action(policy, Anomaly::unknown_type, AnomalyAction::drop);
    constexpr std::uint8_t kUnassignedV4Type = 99;
    constexpr std::uint8_t kUnassignedV6Type = 99;
    BOOST_TEST(decide_once(policy, icmp(Family::ipv4, kUnassignedV4Type)) ==
               expect_anomaly(Verdict::drop, Anomaly::unknown_type));
    BOOST_TEST(decide_once(policy, icmp(Family::ipv6, kUnassignedV6Type)) ==
               expect_anomaly(Verdict::drop, Anomaly::unknown_type));
    BOOST_TEST(decide_once(policy, echo_v4()) == expect(Verdict::accept, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(unassigned_type_goes_to_rules_while_unknown_type_is_off) {
    const rules::CompiledPolicy policy = base_policy(Verdict::accept);
    BOOST_TEST(decide_once(policy, icmp(Family::ipv4, 99)) == expect(Verdict::accept, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(unknown_type_is_not_derived_without_an_icmp_header) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    set_action(policy, Anomaly::unknown_type, AnomalyAction::accept);
    set_action(policy, Anomaly::fragment, AnomalyAction::off);
    decode::DecodedPacket p = non_first_fragment_v4();
    p.icmp_type = 99;  // stale value with no header: must not be judged
    BOOST_TEST(decide_once(policy, p) == expect(Verdict::drop, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(every_pair_of_enabled_anomalies_is_decided_by_the_earlier_row) {
    // decide() walks the set bits; the contract is the table's row order.
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    for (const decode::AnomalyInfo& info : decode::kAnomalies) set_action(policy, info.anomaly, AnomalyAction::drop);
    constexpr std::uint8_t kUnassignedV4Type = 99;
    for (std::size_t first = 0; first < decode::kAnomalyCount; ++first) {
        for (std::size_t second = first + 1; second < decode::kAnomalyCount; ++second) {
            const auto earlier = static_cast<Anomaly>(first);
            const auto later = static_cast<Anomaly>(second);
            decode::DecodedPacket p =
                later == Anomaly::unknown_type ? icmp(Family::ipv4, kUnassignedV4Type) : echo_v4();
            if (later != Anomaly::unknown_type) p.anomalies.set(later);
            p.anomalies.set(earlier);
            BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, earlier),
                       decode::anomaly_name(earlier) << " before " << decode::anomaly_name(later));
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_type_decides_after_an_earlier_anomaly_turned_off) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    set_action(policy, Anomaly::bad_checksum, AnomalyAction::off);
    set_action(policy, Anomaly::unknown_type, AnomalyAction::accept);
    decode::DecodedPacket p = icmp(Family::ipv6, 99);
    p.anomalies.set(Anomaly::bad_checksum);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::accept, Anomaly::unknown_type));
}

// --- 3. rules ---

BOOST_AUTO_TEST_CASE(matching_rule_decides_with_its_index) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_rule(policy, "reply", match_types(Family::ipv4, {decode::icmp4::kEchoReply}), Verdict::accept);
    add_rule(policy, "request", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::drop);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect_rule(Verdict::drop, 1));
}

BOOST_AUTO_TEST_CASE(first_matching_rule_wins) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_rule(policy, "first", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept);
    add_rule(policy, "second", match_types(Family::ipv4, {}), Verdict::drop);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect_rule(Verdict::accept, 0));
}

BOOST_AUTO_TEST_CASE(rule_that_does_not_match_passes_to_the_next) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    rules::CompiledMatch from_elsewhere = match_types(Family::ipv4, {decode::icmp4::kEchoRequest});
    from_elsewhere.source.any = false;
    from_elsewhere.source.v4.push_back({ip("203.0.113.0"), 24});
    add_rule(policy, "elsewhere", from_elsewhere, Verdict::drop);
    add_rule(policy, "all", match_types(Family::ipv4, {}), Verdict::accept);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect_rule(Verdict::accept, 1));
}

BOOST_AUTO_TEST_CASE(rule_sees_the_packet_meta_interfaces) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    rules::CompiledMatch on_lan = match_types(Family::ipv4, {});
    on_lan.in_interface.any = false;
    on_lan.in_interface.patterns.push_back({decode::InterfaceName::from("lan"), true});
    add_rule(policy, "lan", on_lan, Verdict::accept);
    decode::PacketMeta meta;
    meta.in_interface = decode::InterfaceName::from("lan0");
    BOOST_TEST(decide_once(policy, echo_v4(), meta) == expect_rule(Verdict::accept, 0));
    meta.in_interface = decode::InterfaceName::from("wan0");
    BOOST_TEST(decide_once(policy, echo_v4(), meta) == expect(Verdict::drop, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(rules_of_the_other_family_are_not_candidates) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_rule(policy, "v6-echo", match_types(Family::ipv6, {decode::icmp6::kEchoRequest}), Verdict::drop);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect(Verdict::accept, Reason::default_verdict));
    BOOST_TEST(decide_once(policy, echo_v6()) == expect_rule(Verdict::drop, 0));
}

BOOST_AUTO_TEST_CASE(non_first_fragment_skips_rules_when_its_anomaly_is_off) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    set_action(policy, Anomaly::fragment, AnomalyAction::off);
    add_rule(policy, "type-0", match_types(Family::ipv4, {0}), Verdict::accept);
    BOOST_TEST(decide_once(policy, non_first_fragment_v4()) == expect(Verdict::drop, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(rate_limited_rule_accepts_while_tokens_last_then_drops) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_global_limiter(policy, "unused", 1.0, 100);
    const rules::LimiterIndex echo_limit = add_global_limiter(policy, "echo", 1.0, 2);
    add_rule(policy, "other", match_types(Family::ipv4, {decode::icmp4::kEchoReply}), Verdict::accept);
    add_rule(policy, "echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept, {echo_limit});
    rules::LimiterState limiters{policy.limiters};
    ::icmpgate::test::FakeClock clock;
    decode::PacketMeta meta;
    meta.now_ns = clock.now();
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rule(Verdict::accept, 1));
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rule(Verdict::accept, 1));
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rate_limit(1, echo_limit));
    clock.advance_s(1);
    meta.now_ns = clock.now();
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rule(Verdict::accept, 1));
}

BOOST_AUTO_TEST_CASE(rate_limit_reports_the_first_listed_limiter_without_a_token) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    const rules::LimiterIndex wide = add_global_limiter(policy, "wide", 1.0, 5);
    const rules::LimiterIndex narrow = add_global_limiter(policy, "narrow", 1.0, 1);
    add_rule(policy, "echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept, {wide, narrow});
    rules::LimiterState limiters{policy.limiters};
    const decode::PacketMeta meta;
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rule(Verdict::accept, 0));
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rate_limit(0, narrow));
}

BOOST_AUTO_TEST_CASE(rate_limited_drop_rule_drops_for_the_rule_while_tokens_last) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    const rules::LimiterIndex limit = add_global_limiter(policy, "limit", 1.0, 1);
    add_rule(policy, "drop", match_types(Family::ipv4, {}), Verdict::drop, {limit});
    rules::LimiterState limiters{policy.limiters};
    const decode::PacketMeta meta;
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rule(Verdict::drop, 0));
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) == expect_rate_limit(0, limit));
}

// --- 3b. rules in monitor mode: record what they would decide, the next rules decide ---

BOOST_AUTO_TEST_CASE(a_monitor_rule_that_matches_is_the_would_be_and_the_next_rule_decides) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_monitor_rule(policy, "try-drop-echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::drop);
    add_rule(policy, "echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept);
    BOOST_TEST(decide_once(policy, echo_v4()) ==
               with_would_be(expect_rule(Verdict::accept, 1), expect_rule(Verdict::drop, 0)));
}

BOOST_AUTO_TEST_CASE(a_monitor_rule_with_no_rule_after_it_leaves_the_default_to_decide) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_monitor_rule(policy, "try-echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept);
    BOOST_TEST(decide_once(policy, echo_v4()) ==
               with_would_be(expect(Verdict::drop, Reason::default_verdict), expect_rule(Verdict::accept, 0)));
    // A packet the monitor rule does not match: no would-be.
    BOOST_TEST(decide_once(policy, echo_v6()) == expect(Verdict::drop, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(a_monitor_rule_does_not_lift_protection) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_monitor_rule(policy, "try-drop-te", match_types(Family::ipv4, {decode::icmp4::kTimeExceeded}), Verdict::drop);
    BOOST_TEST(decide_once(policy, icmp(Family::ipv4, decode::icmp4::kTimeExceeded)) ==
               with_would_be(expect(Verdict::accept, Reason::protected_type), expect_rule(Verdict::drop, 0)));
}

BOOST_AUTO_TEST_CASE(only_the_first_monitor_rule_that_matches_is_recorded) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_monitor_rule(policy, "first", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::drop);
    add_monitor_rule(policy, "second", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept);
    add_rule(policy, "echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::drop);
    BOOST_TEST(decide_once(policy, echo_v4()) ==
               with_would_be(expect_rule(Verdict::drop, 2), expect_rule(Verdict::drop, 0)));
}

BOOST_AUTO_TEST_CASE(a_monitor_rule_after_the_deciding_rule_is_never_reached) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_rule(policy, "echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept);
    add_monitor_rule(policy, "try-drop-echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::drop);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect_rule(Verdict::accept, 0));
}

BOOST_AUTO_TEST_CASE(an_anomaly_decides_before_any_monitor_rule) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_monitor_rule(policy, "try-echo", match_types(Family::ipv4, {}), Verdict::accept);
    decode::DecodedPacket p = echo_v4();
    p.anomalies.set(Anomaly::bad_checksum);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::bad_checksum));
}

BOOST_AUTO_TEST_CASE(a_monitor_rule_spends_its_own_limiter_and_the_enforced_rule_keeps_its_own) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    const rules::LimiterIndex trial = add_global_limiter(policy, "trial", 1.0, 1);
    const rules::LimiterIndex echo = add_global_limiter(policy, "echo", 1.0, 2);
    add_monitor_rule(policy, "try-tight", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept,
                     {trial});
    add_rule(policy, "echo", match_types(Family::ipv4, {decode::icmp4::kEchoRequest}), Verdict::accept, {echo});
    rules::LimiterState limiters{policy.limiters};
    const decode::PacketMeta meta;
    // The trial bucket (burst 1) empties at the second echo, the enforced one (burst 2) at the third.
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) ==
               with_would_be(expect_rule(Verdict::accept, 1), expect_rule(Verdict::accept, 0)));
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) ==
               with_would_be(expect_rule(Verdict::accept, 1), expect_rate_limit(0, trial)));
    BOOST_TEST(decide(policy, echo_v4(), meta, limiters) ==
               with_would_be(expect_rate_limit(1, echo), expect_rate_limit(0, trial)));
}

// --- 4. protected ---

BOOST_DATA_TEST_CASE(protected_types_are_accepted_when_no_rule_matched_and_default_is_drop,
                     boost::unit_test::data::make(kProtectedCases), sample) {
    const rules::CompiledPolicy policy = base_policy(Verdict::drop);
    const Decision expected = sample.is_protected ? expect(Verdict::accept, Reason::protected_type)
                                                  : expect(Verdict::drop, Reason::default_verdict);
    BOOST_TEST(decide_once(policy, icmp(sample.family, sample.type, sample.code)) == expected);
}

BOOST_AUTO_TEST_CASE(rule_matching_a_protected_type_overrides_protection) {
    rules::CompiledPolicy policy = base_policy(Verdict::accept);
    add_rule(policy, "no-ptb", match_types(Family::ipv6, {decode::icmp6::kPacketTooBig}), Verdict::drop);
    policy.rules.back().override_protection = true;
    BOOST_TEST(decide_once(policy, icmp(Family::ipv6, decode::icmp6::kPacketTooBig)) == expect_rule(Verdict::drop, 0));
}

BOOST_AUTO_TEST_CASE(rule_for_other_codes_of_a_protected_type_leaves_frag_needed_protected) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    add_rule(policy, "port-unreachable", match_type_code(Family::ipv4, decode::icmp4::kDestUnreachable, 3),
             Verdict::drop);
    BOOST_TEST(decide_once(policy, icmp(Family::ipv4, decode::icmp4::kDestUnreachable, 3)) ==
               expect_rule(Verdict::drop, 0));
    BOOST_TEST(
        decide_once(policy, icmp(Family::ipv4, decode::icmp4::kDestUnreachable, decode::icmp4::kCodeFragNeeded)) ==
        expect(Verdict::accept, Reason::protected_type));
}

BOOST_AUTO_TEST_CASE(malformed_protected_type_is_judged_by_its_anomaly) {
    const rules::CompiledPolicy policy = base_policy(Verdict::accept);
    decode::DecodedPacket p = icmp(Family::ipv6, decode::icmp6::kPacketTooBig);
    p.anomalies.set(Anomaly::implausible_mtu);
    BOOST_TEST(decide_once(policy, p) == expect_anomaly(Verdict::drop, Anomaly::implausible_mtu));
}

// --- 5. default ---

BOOST_AUTO_TEST_CASE(unmatched_packet_gets_the_default_drop) {
    const rules::CompiledPolicy policy = base_policy(Verdict::drop);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect(Verdict::drop, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(unmatched_packet_gets_the_default_accept) {
    const rules::CompiledPolicy policy = base_policy(Verdict::accept);
    BOOST_TEST(decide_once(policy, echo_v6()) == expect(Verdict::accept, Reason::default_verdict));
}

BOOST_AUTO_TEST_CASE(out_of_range_candidate_index_is_skipped) {
    rules::CompiledPolicy policy = base_policy(Verdict::drop);
    policy.candidates[0][decode::icmp4::kEchoRequest].push_back(42);
    BOOST_TEST(decide_once(policy, echo_v4()) == expect(Verdict::drop, Reason::default_verdict));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::verdict
