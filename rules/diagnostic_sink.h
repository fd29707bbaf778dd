#pragma once
// Collects the diagnostics of one policy load from every stage (reader, protection analysis,
// linter) and hands them back in file order, each with the line and column of the value at
// fault (found from its JSON Pointer in the loaded text, rules/json_positions.h).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/diagnostic.h"
#include "rules/json_pointer.h"

namespace icmpgate::rules {

// What a diagnostic's position is: the value its pointer names, or, for a fault in a member's
// name (an unknown key, an unknown anomaly, a bad rate limit name), that name; for a member
// written more than once, the n-th such diagnostic of one pointer is at its (n+1)-th name.
enum class PointerTarget : std::uint8_t { value, member_name, repeated_member_name };

class DiagnosticSink {
public:
    // `text`: the JSON text the pointers point into (a text the parser accepted); empty: no
    // positions are added.
    explicit DiagnosticSink(std::string file, std::string_view text = {}) : file_(std::move(file)), text_(text) {}

    // Without a text to place them, diagnostics reported from now on belong to rule `index`
    // (sorted after the top level).
    void enter_rule(std::size_t index) noexcept { order_ = index + 1; }
    void leave_rule() noexcept { order_ = 0; }

    void error(std::string pointer, std::string message, std::optional<std::string> rule_id = std::nullopt,
               PointerTarget target = PointerTarget::value) {
        add(Diagnostic::Severity::error, std::move(pointer), std::move(message), std::move(rule_id), target);
    }
    void warning(std::string pointer, std::string message, std::optional<std::string> rule_id = std::nullopt,
                 PointerTarget target = PointerTarget::value) {
        add(Diagnostic::Severity::warning, std::move(pointer), std::move(message), std::move(rule_id), target);
    }
    void add_syntax_error(std::size_t line, std::size_t column, std::string message);

    [[nodiscard]] std::size_t error_count() const noexcept { return errors_; }
    [[nodiscard]] const std::string& file() const noexcept { return file_; }
    // The diagnostics in file order (with a text; otherwise top level first, then rule by rule),
    // each in the order reported among those at one place; the sink is empty afterwards.
    [[nodiscard]] std::vector<Diagnostic> take();

private:
    struct Entry {
        std::size_t order;
        PointerTarget target;
        Diagnostic diagnostic;
    };
    void add(Diagnostic::Severity severity, std::string pointer, std::string message,
             std::optional<std::string> rule_id, PointerTarget target);
    void place(std::vector<Entry>& entries) const;

    std::string file_;
    std::string_view text_;
    std::size_t order_{0};
    std::size_t errors_{0};
    std::vector<Entry> entries_;
};

}  // namespace icmpgate::rules
