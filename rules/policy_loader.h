#pragma once
// Loading a policy: JSON text -> validated, compiled policy, or every fault found.
// Cold path: exceptions may be used inside, none cross this API.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/compiled_policy.h"

namespace icmpgate::rules {

struct Diagnostic {
    enum class Severity : std::uint8_t { error, warning };
    Severity severity{Severity::error};
    std::string file;                   // as given by the caller
    std::optional<std::size_t> line;    // syntax errors only (1-based)
    std::optional<std::size_t> column;  // syntax errors only (1-based)
    std::string pointer;                // JSON Pointer of the fault ("" for the document)
    std::optional<std::string> rule_id; // when the fault is inside a rule that has an id
    std::string message;                // names the offending value; "did you mean ..." where it can

    // GNU style: "file:line:col: error: message" for syntax errors,
    // "file: /rules/3/match/type: error: rule 'x': message" otherwise.
    [[nodiscard]] std::string to_string() const;
};

struct LoadResult {
    std::shared_ptr<const CompiledPolicy> policy;   // null when any error was found
    std::vector<Diagnostic> diagnostics;            // errors and warnings, in document order

    [[nodiscard]] bool ok() const noexcept { return policy != nullptr; }
    [[nodiscard]] std::size_t error_count() const noexcept;
    [[nodiscard]] std::size_t warning_count() const noexcept;
};

// Reads and loads a file; an unreadable file is one error diagnostic.
[[nodiscard]] LoadResult load_policy_file(const std::string& path);
// Loads policy text; `name` is used as the file name in diagnostics and the digest covers `text`.
[[nodiscard]] LoadResult load_policy_text(std::string_view text, std::string_view name);

}  // namespace icmpgate::rules
