#include "filter/app/check_command.h"

#include <ostream>

#include "filter/app/cli.h"
#include "filter/app/policy_report.h"
#include "filter/decode/anomaly.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {
namespace {

const char* scope_name(rules::LimiterScope scope) {
    switch (scope) {
        case rules::LimiterScope::global: return "global";
        case rules::LimiterScope::source: return "per source";
        case rules::LimiterScope::destination: return "per destination";
    }
    return "?";
}

const char* action_name(decode::AnomalyAction action) {
    switch (action) {
        case decode::AnomalyAction::drop: return "drop";
        case decode::AnomalyAction::accept: return "accept";
        case decode::AnomalyAction::off: return "off";
    }
    return "?";
}

void print_summary(const rules::CompiledPolicy& policy, const std::string& path, std::ostream& out) {
    out << "policy: " << path << '\n';
    out << "digest: " << policy.digest << '\n';
    out << "default verdict: " << (policy.default_verdict == rules::Verdict::drop ? "drop" : "accept") << '\n';
    out << "rules: " << policy.rules.size() << '\n';
    out << "limiters: " << policy.limiters.size() << '\n';
    for (const rules::LimiterSpec& limiter : policy.limiters) {
        out << "  " << limiter.name << ": " << limiter.rate << "/s, burst " << limiter.burst << ", "
            << scope_name(limiter.per);
        if (limiter.per != rules::LimiterScope::global)
            out << " (/" << unsigned{limiter.prefix_v4} << ", /" << unsigned{limiter.prefix_v6} << ", "
                << limiter.max_entries << " entries)";
        out << '\n';
    }
    out << "anomalies enabled:";
    bool any = false;
    for (const decode::AnomalyInfo& info : decode::kAnomalies) {
        const decode::AnomalyAction action = policy.action_for(info.anomaly);
        if (action == decode::AnomalyAction::off) continue;
        out << (any ? ", " : " ") << info.name << " (" << action_name(action) << ")";
        any = true;
    }
    out << (any ? "\n" : " none\n");
}

}  // namespace

int run_check(const std::string& policy_path, std::ostream& out, std::ostream& err) {
    const rules::LoadResult result = rules::load_policy_file(policy_path);
    if (!result.ok()) {
        print_diagnostics(result, err);
        return kExitInvalidInput;
    }
    print_summary(*result.policy, policy_path, out);
    out << "warnings: " << result.warning_count() << '\n';
    print_warnings(result, out);
    return kExitOk;
}

}  // namespace icmpgate::app
