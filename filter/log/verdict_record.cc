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
        case verdict::Reason::count_:
            return reason_text(record.decision);
    }
    return reason_text(record.decision);
}

}  // namespace icmpgate::log
