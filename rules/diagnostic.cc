#include "rules/diagnostic.h"

namespace icmpgate::rules {

std::string format_diagnostic(const Diagnostic& diagnostic, std::string_view file) {
    std::string out(file);
    if (diagnostic.line) {
        out += ":" + std::to_string(*diagnostic.line) + ":" + std::to_string(diagnostic.column.value_or(1));
    }
    out += diagnostic.severity == Diagnostic::Severity::error ? ": error: " : ": warning: ";
    if (!diagnostic.pointer.empty()) out += diagnostic.pointer + ": ";
    if (diagnostic.rule_id) out += "rule '" + *diagnostic.rule_id + "': ";
    out += diagnostic.message;
    return out;
}

std::string Diagnostic::to_string() const {
    return format_diagnostic(*this, file);
}

}  // namespace icmpgate::rules
