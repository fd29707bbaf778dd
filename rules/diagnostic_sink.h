#pragma once
// Collects the diagnostics of one policy load from every stage (parser, protection
// analysis, linter) and hands them back in document order: top-level faults first, then
// rule by rule, each rule's faults in the order the stages found them.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/policy_loader.h"

namespace icmpgate::rules {

class DiagnosticSink {
public:
    explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

    // Diagnostics reported from now on belong to rule `index` (sorted after the top level).
    void enter_rule(std::size_t index) noexcept { order_ = index + 1; }
    void leave_rule() noexcept { order_ = 0; }

    void error(std::string pointer, std::string message, std::optional<std::string> rule_id = std::nullopt) {
        add(Diagnostic::Severity::error, std::move(pointer), std::move(message), std::move(rule_id));
    }
    void warning(std::string pointer, std::string message, std::optional<std::string> rule_id = std::nullopt) {
        add(Diagnostic::Severity::warning, std::move(pointer), std::move(message), std::move(rule_id));
    }
    void add_syntax_error(std::size_t line, std::size_t column, std::string message);

    [[nodiscard]] std::size_t error_count() const noexcept { return errors_; }
    [[nodiscard]] const std::string& file() const noexcept { return file_; }
    // The diagnostics in document order; the sink is empty afterwards.
    [[nodiscard]] std::vector<Diagnostic> take();

private:
    void add(Diagnostic::Severity severity, std::string pointer, std::string message,
             std::optional<std::string> rule_id);

    std::string file_;
    std::size_t order_{0};
    std::size_t errors_{0};
    std::vector<std::pair<std::size_t, Diagnostic>> entries_;
};

// JSON Pointer (RFC 6901) of a member or an element below `parent`.
[[nodiscard]] std::string pointer_child(const std::string& parent, std::string_view key);
[[nodiscard]] std::string pointer_child(const std::string& parent, std::size_t index);

}  // namespace icmpgate::rules
