#include "rules/diagnostic_sink.h"

#include <algorithm>

namespace icmpgate::rules {

void DiagnosticSink::add(Diagnostic::Severity severity, std::string pointer, std::string message,
                         std::optional<std::string> rule_id) {
    Diagnostic d;
    d.severity = severity;
    d.file = file_;
    d.pointer = std::move(pointer);
    d.rule_id = std::move(rule_id);
    d.message = std::move(message);
    if (severity == Diagnostic::Severity::error) ++errors_;
    entries_.emplace_back(order_, std::move(d));
}

void DiagnosticSink::add_syntax_error(std::size_t line, std::size_t column, std::string message) {
    Diagnostic d;
    d.file = file_;
    d.line = line;
    d.column = column;
    d.message = std::move(message);
    ++errors_;
    entries_.emplace_back(order_, std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::take() {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Diagnostic> out;
    out.reserve(entries_.size());
    for (auto& entry : entries_) out.push_back(std::move(entry.second));
    entries_.clear();
    errors_ = 0;
    return out;
}

std::string pointer_child(const std::string& parent, std::string_view key) {
    std::string out;
    out.reserve(parent.size() + 1 + key.size());
    out += parent;
    out += '/';
    // Most keys need no escape: append them whole (find() is a memchr) rather than a
    // character at a time; the parser builds a pointer for every member it reads.
    if (key.find('~') == std::string_view::npos && key.find('/') == std::string_view::npos) {
        out += key;
        return out;
    }
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string pointer_child(const std::string& parent, std::size_t index) {
    return parent + "/" + std::to_string(index);
}

}  // namespace icmpgate::rules
