#include "filter/log/verdict_record.h"

#include "filter/log/builtin_signatures.h"
#include "filter/verdict/engine.h"

namespace icmpgate::log {

VerdictRecord make_verdict_record(const decode::DecodedPacket& packet, const verdict::Decision& decision,
                                  const decode::PacketMeta& meta, const rules::CompiledPolicy& policy) noexcept {
    const bool plain = policy.names_are_plain;
    VerdictRecord record{packet};
    record.time_ns = meta.now_ns;
    record.in_iface = meta.in_interface;
    record.out_iface = meta.out_interface;
    record.decision = decision;
    record.anomalies = verdict::applicable_anomalies(packet);
    if (decision.reason == verdict::Reason::anomaly) record.anomalies.set(decision.anomaly);
    record.policy_digest = PolicyName{policy.digest, plain};
    record.signature_id = builtin_signature_id(decision);
    if (decision.rule && *decision.rule < policy.rules.size()) {
        const rules::CompiledRule& rule = policy.rules[*decision.rule];
        record.rule_id = PolicyName{rule.id, plain};
        if (decision.reason == verdict::Reason::rule) record.signature_id = rule.signature_id;
    }
    if (decision.reason == verdict::Reason::rate_limit && decision.limiter &&
        *decision.limiter < policy.limiters.size())
        record.limiter_name = PolicyName{policy.limiters[*decision.limiter].name, plain};
    if (const std::optional<verdict::Outcome>& would_be = decision.would_be) {
        if (would_be->reason == verdict::Reason::anomaly) record.anomalies.set(would_be->anomaly);
        if (would_be->rule && *would_be->rule < policy.rules.size())
            record.would_be_rule_id = PolicyName{policy.rules[*would_be->rule].id, plain};
        if (would_be->reason == verdict::Reason::rate_limit && would_be->limiter &&
            *would_be->limiter < policy.limiters.size())
            record.would_be_limiter_name = PolicyName{policy.limiters[*would_be->limiter].name, plain};
    }
    return record;
}

unsigned alert_severity(const verdict::Decision& decision) noexcept {
    if (decision.verdict == rules::Verdict::accept) return verdict::kAcceptSeverity;
    return verdict::reason_info(decision.reason).drop_severity;
}

TwoPartText alert_signature(const VerdictRecord& record) noexcept {
    switch (record.decision.reason) {
        case verdict::Reason::rule:
            return {record.rule_id, ""};
        case verdict::Reason::rate_limit:
            return {"rate-limit:", record.rule_id};
        case verdict::Reason::anomaly:
        case verdict::Reason::default_verdict:
        case verdict::Reason::protected_type:
        case verdict::Reason::not_icmp:
        case verdict::Reason::monitor:
        case verdict::Reason::count_:
            return reason_text(record.decision);
    }
    return reason_text(record.decision);
}

}  // namespace icmpgate::log
