#pragma once
// Printing a policy load's diagnostics, shared by `check` and `replay`.
#include <iosfwd>

#include "rules/policy_loader.h"

namespace icmpgate::app {

// Every diagnostic (errors and warnings, in document order), one per line, then "N errors"
// ("1 error") when there were any.
void print_diagnostics(const rules::LoadResult& result, std::ostream& err);

// "1 error", "3 errors", "0 warnings"...
[[nodiscard]] std::string count_of(std::size_t n, const char* singular, const char* plural);

}  // namespace icmpgate::app
