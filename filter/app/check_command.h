#pragma once
#include <iosfwd>
#include <string>

namespace icmpgate::app {

// `icmpgate check POLICY`: exit 0 and a summary on `out` (file, digest, rules, limiters,
// enabled anomalies, then each warning); exit 1 with every diagnostic on `err`, then the
// error count. POLICY "-" reads the policy from `in` (standard input, named "<stdin>" in
// the summary and the diagnostics), as `nft -c -f -` does.
[[nodiscard]] int run_check(const std::string& policy_path, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace icmpgate::app
