#pragma once
// Hand-built compiled policies and decoded packets for the engine's tests: plain structs,
// so these tests depend neither on the policy loader nor on the byte-level decoder.

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "filter/decode/icmp_types.h"
#include "rules/compiled_policy.h"
#include "tests/support/address.h"

namespace icmpgate::verdict::test {

using icmpgate::test::ip;

// A policy with the contract's default anomaly actions, no rules and no limiters.
inline rules::CompiledPolicy base_policy(rules::Verdict default_verdict = rules::Verdict::drop) {
    rules::CompiledPolicy policy;
    policy.default_verdict = default_verdict;
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        policy.anomaly_actions[static_cast<std::size_t>(info.anomaly)] = info.default_action;
    return policy;
}

inline void set_action(rules::CompiledPolicy& policy, decode::Anomaly anomaly, decode::AnomalyAction action) {
    policy.anomaly_actions[static_cast<std::size_t>(anomaly)] = action;
}

// A match on some types of one family (every code), or of both families when types is empty.
inline rules::CompiledMatch match_types(decode::Family family, std::initializer_list<std::uint8_t> types) {
    rules::CompiledMatch m;
    if (types.size() == 0) {
        m.type_code[0].all_codes.set();
        m.type_code[1].all_codes.set();
        return m;
    }
    m.families = {family == decode::Family::ipv4, family == decode::Family::ipv6};
    for (const std::uint8_t t : types) m.type_code[rules::family_index(family)].all_codes.set(t);
    return m;
}

inline rules::CompiledMatch match_type_code(decode::Family family, std::uint8_t type, std::uint8_t code) {
    rules::CompiledMatch m;
    m.families = {family == decode::Family::ipv4, family == decode::Family::ipv6};
    rules::TypeCodeSet::Restricted r;
    r.type = type;
    r.codes.set(code);
    m.type_code[rules::family_index(family)].restricted.push_back(r);
    return m;
}

// Appends a rule and lists it as a candidate for every (family, type) it can match, as
// the policy compiler does.
inline rules::RuleIndex add_rule(rules::CompiledPolicy& policy, std::string id, rules::CompiledMatch match,
                                 rules::Verdict verdict, std::vector<rules::LimiterIndex> limiters = {}) {
    const auto index = static_cast<rules::RuleIndex>(policy.rules.size());
    for (std::size_t f = 0; f < 2; ++f) {
        if (!match.families[f]) continue;
        const rules::TypeCodeSet& set = match.type_code[f];
        for (std::size_t type = 0; type < policy.candidates[f].size(); ++type) {
            bool possible = set.all_codes.test(type) || set.codes_any_type.any();
            for (const auto& r : set.restricted) possible = possible || r.type == type;
            if (possible) policy.candidates[f][type].push_back(index);
        }
    }
    rules::CompiledRule rule;
    rule.id = std::move(id);
    rule.match = std::move(match);
    rule.verdict = verdict;
    rule.limiters = std::move(limiters);
    policy.rules.push_back(std::move(rule));
    return index;
}

inline rules::LimiterIndex add_global_limiter(rules::CompiledPolicy& policy, std::string name, double rate,
                                              std::uint32_t burst) {
    rules::LimiterSpec spec;
    spec.name = std::move(name);
    spec.rate = rate;
    spec.burst = burst;
    policy.limiters.push_back(spec);
    return static_cast<rules::LimiterIndex>(policy.limiters.size() - 1);
}

// A well-formed ICMP packet of the given family, type and code.
inline decode::DecodedPacket icmp(decode::Family family, std::uint8_t type, std::uint8_t code = 0) {
    decode::DecodedPacket p;
    p.is_ip = true;
    p.is_icmp = true;
    p.family = family;
    const bool v4 = family == decode::Family::ipv4;
    p.src = ip(v4 ? "192.0.2.1" : "2001:db8:1::1");
    p.dst = ip(v4 ? "198.51.100.7" : "2001:db8:2::7");
    p.protocol = v4 ? decode::kIpProtoIcmp : decode::kIpProtoIcmpv6;
    p.has_icmp_header = true;
    p.icmp_type = type;
    p.icmp_code = code;
    p.checksum = decode::ChecksumState::valid;
    p.payload_size = 56;
    return p;
}

inline decode::DecodedPacket echo_v4() {
    return icmp(decode::Family::ipv4, decode::icmp4::kEchoRequest);
}
inline decode::DecodedPacket echo_v6() {
    return icmp(decode::Family::ipv6, decode::icmp6::kEchoRequest);
}

// A TCP segment: IP, not ICMP.
inline decode::DecodedPacket tcp_v4() {
    decode::DecodedPacket p;
    p.is_ip = true;
    p.family = decode::Family::ipv4;
    p.src = ip("192.0.2.1");
    p.dst = ip("198.51.100.7");
    p.protocol = decode::kIpProtoTcp;
    return p;
}

// A non-first IPv4 fragment of an ICMP datagram: no ICMP header, the decoder flags it.
inline decode::DecodedPacket non_first_fragment_v4() {
    decode::DecodedPacket p = echo_v4();
    p.has_icmp_header = false;
    p.icmp_type = 0;
    p.is_fragment = true;
    p.fragment_offset = 185;
    p.checksum = decode::ChecksumState::not_judged;
    p.anomalies.set(decode::Anomaly::fragment);
    return p;
}

}  // namespace icmpgate::verdict::test
