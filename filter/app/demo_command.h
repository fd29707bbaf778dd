#pragma once
// `icmpgate demo`: the main job on a built-in default. Runs the shipped demo script, which
// builds a namespace lab, runs this binary's `run` with the default policy on it, drives
// real traffic through it and summarises the verdicts. Needs root.

#include <iosfwd>
#include <string>

namespace icmpgate::app {

inline constexpr int kExitNoPermission = 77;  // sysexits EX_NOPERM: not root

// Replaces this process with the demo script (returns only on failure).
[[nodiscard]] int run_demo(const std::string& policy_override, std::ostream& err);

}  // namespace icmpgate::app
