#pragma once
// The command line: `icmpgate check`, `icmpgate replay`, `icmpgate run`, `icmpgate demo`,
// `--version`, `--help`. Exit codes (docs/operations.md, "Exit status"): 0 ok, 1 invalid input
// or policy, 2 usage error. Every usage error is one line on stderr starting "icmpgate: ", then a line
// pointing at --help (GNU's style).

#include <iosfwd>

namespace icmpgate::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalidInput = 1;
inline constexpr int kExitUsage = 2;

// Parses argv and runs the chosen subcommand, reading `in` (`check -`) and writing to `out`
// and `err`.
[[nodiscard]] int run_cli(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace icmpgate::app
