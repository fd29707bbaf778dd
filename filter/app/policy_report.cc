#include "filter/app/policy_report.h"

#include <ostream>
#include <string>

namespace icmpgate::app {

std::string count_of(std::size_t n, const char* singular, const char* plural) {
    return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

void print_diagnostics(const rules::LoadResult& result, std::ostream& err) {
    for (const rules::Diagnostic& diagnostic : result.diagnostics) err << diagnostic.to_string() << '\n';
    const std::size_t errors = result.error_count();
    if (errors > 0) err << count_of(errors, "error", "errors") << '\n';
}

}  // namespace icmpgate::app
