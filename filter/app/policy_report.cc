#include "filter/app/policy_report.h"

#include <algorithm>
#include <ostream>
#include <string>

namespace icmpgate::app {
namespace {

std::string line_of(const rules::Diagnostic& diagnostic, std::string_view file) {
    return file.empty() ? diagnostic.to_string() : rules::format_diagnostic(diagnostic, file);
}

}  // namespace

std::string count_of(std::size_t n, const char* singular, const char* plural) {
    return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

void print_diagnostics(const rules::LoadResult& result, std::ostream& err, std::string_view file) {
    for (const rules::Diagnostic& diagnostic : result.diagnostics) err << line_of(diagnostic, file) << '\n';
    const std::size_t errors = result.error_count();
    if (errors > 0) err << count_of(errors, "error", "errors") << '\n';
}

void print_warnings(const rules::LoadResult& result, std::ostream& out, std::string_view file) {
    for (const rules::Diagnostic& diagnostic : result.diagnostics)
        if (diagnostic.severity == rules::Diagnostic::Severity::warning) out << line_of(diagnostic, file) << '\n';
}

std::string rules_text(const rules::CompiledPolicy& policy) {
    const auto monitored = static_cast<std::size_t>(
        std::count_if(policy.rules.begin(), policy.rules.end(),
                      [](const rules::CompiledRule& r) { return r.mode == rules::RuleMode::monitor; }));
    std::string text = count_of(policy.rules.size(), "rule", "rules");
    if (monitored > 0) text += ", " + std::to_string(monitored) + " in monitor mode";
    return text;
}

}  // namespace icmpgate::app
