#pragma once
// One fault or warning found while loading a policy, and how it is printed: the form GNU
// tools use, which editors and CI annotators jump to (docs/policy.md, "Error messages").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace icmpgate::rules {

struct Diagnostic {
    enum class Severity : std::uint8_t { error, warning };
    Severity severity{Severity::error};
    std::string file;                    // the name the loader was given ("<stdin>", a path, ...)
    std::optional<std::size_t> line;     // 1-based: of the value at fault (its name for a wrong key)
    std::optional<std::size_t> column;   // 1-based, in bytes
    std::string pointer;                 // JSON Pointer of the value at fault ("" for the document)
    std::optional<std::string> rule_id;  // when the fault is inside a rule that has an id
    std::string message;                 // names the offending value; "did you mean ..." where it can

    // "FILE:LINE:COL: error: /rules/0/match/typ: rule 'x': unknown key \"typ\"; ..."; without a
    // position (a file that cannot be read) "FILE: error: ...", without a pointer no pointer.
    [[nodiscard]] std::string to_string() const;
};

// to_string() with another file name in front (a policy read from standard input, say).
[[nodiscard]] std::string format_diagnostic(const Diagnostic& diagnostic, std::string_view file);

}  // namespace icmpgate::rules
