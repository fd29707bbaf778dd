#include "filter/verdict/engine.h"

#include <bit>
#include <cstdint>

#include "filter/decode/icmp_catalogue.h"
#include "rules/protection.h"
#include "rules/rule_matcher.h"

namespace icmpgate::verdict {

namespace {

using decode::Anomaly;
using decode::AnomalyAction;
using rules::Verdict;

[[nodiscard]] Verdict verdict_of(AnomalyAction action) noexcept {
    return action == AnomalyAction::accept ? Verdict::accept : Verdict::drop;
}

// The helpers below fill the caller's Decision in place and decide() returns that one object
// (NRVO). Small Decision and optional<Decision> temporaries copied into the result were written
// field by field and read back by wider loads, which stalls store-to-load forwarding: ~10% of
// decode + decide per packet.
void set_anomaly(Outcome& d, AnomalyAction action, Anomaly anomaly) noexcept {
    d.verdict = verdict_of(action);
    d.reason = Reason::anomaly;
    d.anomaly = anomaly;
}

void set_plain(Outcome& d, Verdict verdict, Reason reason) noexcept {
    d.verdict = verdict;
    d.reason = reason;
}

// unknown-type is not a decoder finding: whether a type is assigned is the catalogue's
// knowledge (RFC 1122 3.2.2 and RFC 4443 2.4(a, b) say what to do with one that is not).
[[nodiscard]] bool has_unknown_type(const decode::DecodedPacket& packet) noexcept {
    return packet.has_icmp_header &&
           decode::icmp_type_status(packet.family, packet.icmp_type) == decode::TypeStatus::unassigned;
}

// The first anomaly, in table (precedence) order, that applies and that the policy has not
// turned off. The table follows the enum order (anomaly.h), so walking the set bits from the
// lowest visits the applicable anomalies in precedence order; most packets have none.
[[nodiscard]] bool first_enabled_anomaly(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                                         Decision& d) noexcept {
    std::uint32_t bits = packet.anomalies.bits();
    // unknown-type needs a catalogue lookup: only when the policy acts on it.
    if (policy.action_for(Anomaly::unknown_type) != AnomalyAction::off && has_unknown_type(packet))
        bits |= 1U << static_cast<unsigned>(Anomaly::unknown_type);
    for (; bits != 0; bits &= bits - 1) {
        const auto anomaly = static_cast<Anomaly>(std::countr_zero(bits));
        const AnomalyAction action = policy.action_for(anomaly);
        if (action != AnomalyAction::off) {
            set_anomaly(d, action, anomaly);
            return true;
        }
    }
    return false;
}

// What the rule at `index` decides: its verdict, or a rate-limit drop when one of its limiters
// has no token.
void decide_by_rule(const rules::CompiledRule& rule, rules::RuleIndex index, const decode::DecodedPacket& packet,
                    const decode::PacketMeta& meta, rules::LimiterState& limiters, Outcome& o) noexcept {
    set_plain(o, rule.verdict, Reason::rule);
    o.rule = index;
    if (!rule.limiters.empty()) {
        if (const auto denied = limiters.try_take_all(rule.limiters, packet, meta.now_ns)) {
            o.verdict = Verdict::drop;
            o.reason = Reason::rate_limit;
            o.limiter = denied;
        }
    }
}

// The first matching enforced rule decides. A monitor rule that matches before it is recorded
// as the would-be outcome (the first one only: enforced, it would have ended the walk; its
// limiters, which no enforced rule shares, take their tokens) and the walk goes on after it.
[[nodiscard]] bool first_matching_rule(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                                       const decode::PacketMeta& meta, rules::LimiterState& limiters,
                                       Decision& d) noexcept {
    rules::RuleIndex index = rules::first_matching_rule(policy, packet, meta);
    while (index != rules::kNoRule && policy.rules[index].mode == rules::RuleMode::monitor) [[unlikely]] {
            if (!d.would_be) decide_by_rule(policy.rules[index], index, packet, meta, limiters, d.would_be.emplace());
            index = rules::first_matching_rule_after(policy, packet, meta, index);
        }
    if (index == rules::kNoRule) return false;
    decide_by_rule(policy.rules[index], index, packet, meta, limiters, d);
    return true;
}

}  // namespace

decode::AnomalySet applicable_anomalies(const decode::DecodedPacket& packet) noexcept {
    decode::AnomalySet set = packet.anomalies;
    if (has_unknown_type(packet)) set.set(Anomaly::unknown_type);
    return set;
}

Decision decide(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                const decode::PacketMeta& meta, rules::LimiterState& limiters) noexcept {
    Decision d;
    // 1. decode: not ICMP of its own family. Wrong-family ICMP is judged only when enabled.
    if (!packet.is_icmp) {
        const AnomalyAction action = policy.action_for(Anomaly::wrong_family);
        if (packet.anomalies.test(Anomaly::wrong_family) && action != AnomalyAction::off)
            set_anomaly(d, action, Anomaly::wrong_family);
        else
            set_plain(d, Verdict::accept, Reason::not_icmp);
        return d;
    }

    // 2. anomalies
    if (first_enabled_anomaly(policy, packet, d)) return d;

    // A packet without an ICMP header (a non-first fragment whose anomaly is off) has no
    // type to match or protect: only the default can judge it.
    if (packet.has_icmp_header) {
        // 3. rules
        if (first_matching_rule(policy, packet, meta, limiters, d)) return d;

        // 4. protected (RFC 1191, RFC 8201, RFC 4890 4.3.1)
        if (rules::is_protected(packet.family, packet.icmp_type, packet.icmp_code)) {
            set_plain(d, Verdict::accept, Reason::protected_type);
            return d;
        }
    }

    // 5. default
    set_plain(d, policy.default_verdict, Reason::default_verdict);
    return d;
}

}  // namespace icmpgate::verdict
