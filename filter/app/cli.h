#pragma once
// The command line: `icmpgate check`, `icmpgate replay`, `--version`, `--help`.
// Exit codes (CONVENTIONS 7.1): 0 ok, 1 invalid input or policy, 2 usage error.

#include <iosfwd>

namespace icmpgate::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalidInput = 1;
inline constexpr int kExitUsage = 2;

// Parses argv and runs the chosen subcommand, writing to `out` and `err`.
[[nodiscard]] int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace icmpgate::app
