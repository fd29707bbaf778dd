#pragma once
// Loading a policy: JSON text -> validated, compiled policy, or every fault found, each with
// the line and column of the value at fault. Cold path: exceptions may be used inside, none
// cross this API.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/compiled_policy.h"
#include "rules/diagnostic.h"

namespace icmpgate::rules {

struct LoadResult {
    std::shared_ptr<const CompiledPolicy> policy;  // null when any error was found
    std::vector<Diagnostic> diagnostics;           // errors and warnings, in file order

    [[nodiscard]] bool ok() const noexcept { return policy != nullptr; }
    [[nodiscard]] std::size_t error_count() const noexcept;
    [[nodiscard]] std::size_t warning_count() const noexcept;
};

// Reads and loads a file; an unreadable file is one error diagnostic.
[[nodiscard]] LoadResult load_policy_file(const std::string& path);
// Loads policy text; `name` is the file name every diagnostic shows ("<stdin>" for standard
// input, say) and the policy's source_name; the digest covers `text`.
[[nodiscard]] LoadResult load_policy_text(std::string_view text, std::string_view name);

}  // namespace icmpgate::rules
