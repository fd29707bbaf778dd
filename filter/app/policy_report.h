#pragma once
// Printing a policy load's diagnostics, shared by `check`, `replay` and `run` (start and reload).
#include <iosfwd>
#include <string>
#include <string_view>

#include "rules/policy_loader.h"

namespace icmpgate::app {

// Every diagnostic (errors and warnings, in file order), one per line as
// "FILE:LINE:COL: error: ...", then "N errors" ("1 error") when there were any. `file`: the
// name shown in each location; empty: the name the policy was loaded under.
void print_diagnostics(const rules::LoadResult& result, std::ostream& err, std::string_view file = {});

// The warnings of a policy that loaded, one per line, as print_diagnostics() writes them.
void print_warnings(const rules::LoadResult& result, std::ostream& out, std::string_view file = {});

// "1 error", "3 errors", "0 warnings"...
[[nodiscard]] std::string count_of(std::size_t n, const char* singular, const char* plural);

// "17 rules", "18 rules, 1 in monitor mode".
[[nodiscard]] std::string rules_text(const rules::CompiledPolicy& policy);

}  // namespace icmpgate::app
