#include "filter/app/check_command.h"

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "filter/app/cli.h"
#include "filter/app/policy_report.h"
#include "filter/decode/anomaly.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {
namespace {

constexpr std::string_view kStdinName = "<stdin>";

// The whole stream, read in chunks (std::istreambuf_iterator trips GCC 12's -Wnull-dereference
// at -O2, a false positive inside libstdc++).
std::string read_all(std::istream& in) {
    constexpr std::size_t kChunk = 65536;
    std::string text;
    std::vector<char> chunk(kChunk);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0)
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    return text;
}

const char* scope_name(rules::LimiterScope scope) {
    switch (scope) {
        case rules::LimiterScope::global:
            return "global";
        case rules::LimiterScope::source:
            return "per source";
        case rules::LimiterScope::destination:
            return "per destination";
    }
    return "?";
}

const char* action_name(decode::AnomalyAction action) {
    switch (action) {
        case decode::AnomalyAction::drop:
            return "drop";
        case decode::AnomalyAction::accept:
            return "accept";
        case decode::AnomalyAction::off:
            return "off";
    }
    return "?";
}

void print_summary(const rules::CompiledPolicy& policy, const std::string& path, std::ostream& out) {
    out << "policy: " << path << '\n';
    out << "digest: " << policy.digest << '\n';
    out << "default verdict: " << (policy.default_verdict == rules::Verdict::drop ? "drop" : "accept") << '\n';
    out << "rules: " << policy.rules.size() << '\n';
    // Named, so that a rule left in monitor mode is seen before the policy is deployed.
    for (const rules::CompiledRule& rule : policy.rules)
        if (rule.mode == rules::RuleMode::monitor) out << "  " << rule.id << ": monitor mode (decides nothing)\n";
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

int run_check(const std::string& policy_path, std::istream& in, std::ostream& out, std::ostream& err) {
    const bool from_stdin = policy_path == "-";
    rules::LoadResult result;
    if (from_stdin) {
        const std::string text = read_all(in);
        if (in.bad()) {
            err << "icmpgate: cannot read the policy from standard input\n";
            return kExitInvalidInput;
        }
        result = rules::load_policy_text(text, kStdinName);
    } else {
        result = rules::load_policy_file(policy_path);
    }
    if (!result.ok()) {
        print_diagnostics(result, err);
        return kExitInvalidInput;
    }
    print_summary(*result.policy, from_stdin ? std::string{kStdinName} : policy_path, out);
    out << "warnings: " << result.warning_count() << '\n';
    print_warnings(result, out);
    return kExitOk;
}

}  // namespace icmpgate::app
