#pragma once
// `icmpgate replay --policy NEW --compare OLD [--format json|table] [--expand-ipv6] CAPTURE`:
// every frame of the capture decided by both policies (one decode per frame, each policy with
// its own limiters on the capture's clock); the frames whose verdict, reason or rule differ and a
// summary, on stdout. Exit status as diff(1)'s, so that a policy change can be gated in CI.

#include <iosfwd>

#include "filter/app/replay_command.h"

namespace icmpgate::app {

inline constexpr int kExitCompareSame = 0;       // no frame differs
inline constexpr int kExitCompareDifferent = 1;  // at least one frame differs
inline constexpr int kExitCompareTrouble = 2;  // a policy invalid, the capture unreadable or damaged (and usage errors)

// `options.compare_policy_path` is the old policy, `options.policy_path` the new one.
[[nodiscard]] int run_compare(const ReplayOptions& options, std::ostream& out, std::ostream& err);

}  // namespace icmpgate::app
