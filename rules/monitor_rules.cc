#include "rules/monitor_rules.h"

#include <algorithm>
#include <string>

#include "rules/diagnostic_sink.h"
#include "rules/json_pointer.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

void check_monitor_rule_limiters(const PolicyDocument& document, DiagnosticSink& sink) {
    for (std::size_t r = 0; r < document.rules.size(); ++r) {
        const RuleDocument& rule = document.rules[r];
        if (rule.mode != RuleMode::monitor) continue;
        sink.enter_rule(r);
        for (const std::string& name : rule.rate_limits) {
            const auto enforced =
                std::find_if(document.rules.begin(), document.rules.end(), [&](const RuleDocument& other) {
                    return other.mode == RuleMode::enforce &&
                           std::find(other.rate_limits.begin(), other.rate_limits.end(), name) !=
                               other.rate_limits.end();
                });
            if (enforced == document.rules.end()) continue;
            sink.error(pointer_child(rule.pointer, "rate_limit"),
                       "rate limit '" + name + "' is also used by enforced rule '" + enforced->id + "' (" +
                           enforced->pointer +
                           "): this monitor rule would spend its tokens and change that rule's "
                           "verdicts; give it a rate limit of its own",
                       rule.id);
        }
        sink.leave_rule();
    }
}

}  // namespace icmpgate::rules
