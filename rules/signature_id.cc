#include "rules/signature_id.h"

#include <string>
#include <unordered_map>

#include "rules/diagnostic_sink.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

void check_signature_ids(const PolicyDocument& document, DiagnosticSink& sink) {
    // Signature id -> the rule that has it (the first in document order).
    std::unordered_map<std::uint32_t, std::size_t> owner;
    for (std::size_t r = 0; r < document.rules.size(); ++r) {
        const RuleDocument& rule = document.rules[r];
        sink.enter_rule(r);
        const std::uint32_t id = signature_id_of(rule.sid, rule.id);
        if (rule.sid && is_builtin_signature_id(*rule.sid)) {
            sink.error(pointer_child(rule.pointer, "sid"),
                       "sid " + std::to_string(*rule.sid) + " is in " + std::to_string(kBuiltinSidFirst) + "-" +
                           std::to_string(kBuiltinSidLast) + ", reserved for icmpgate's own signatures",
                       rule.id);
        } else if (const auto it = owner.find(id); it != owner.end()) {
            const RuleDocument& first = document.rules[it->second];
            const std::string first_name = "rule '" + first.id + "' (" + first.pointer + ")";
            if (!rule.sid) {
                sink.error(rule.pointer,
                           "the signature id derived from this rule's id, " + std::to_string(id) + ", is already " +
                               first_name + "'s; give one of them a \"sid\"",
                           rule.id);
            } else if (first.sid) {
                sink.error(pointer_child(rule.pointer, "sid"),
                           "sid " + std::to_string(id) + " is already used by " + first_name, rule.id);
            } else {
                sink.error(pointer_child(rule.pointer, "sid"),
                           "sid " + std::to_string(id) + " is the signature id derived for " + first_name +
                               ", which has no \"sid\"; give it one or pick another sid here",
                           rule.id);
            }
        } else {
            owner.emplace(id, r);
        }
        sink.leave_rule();
    }
}

}  // namespace icmpgate::rules
