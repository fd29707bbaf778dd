#pragma once
// `icmpgate run`'s start-up, in order: the policy (refused when invalid or insecure), the log
// file, one bound queue and worker per queue number, the privilege drop, the queue threads.
// Each step prints what went wrong on `err` and returns the exit code; 0 when the daemon can
// filter.

#include <iosfwd>

#include "filter/app/daemon.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {

// The signals the signal loop takes synchronously (SIGHUP, SIGUSR1, SIGTERM, SIGINT): blocked in
// the calling thread before any other starts, so every thread inherits the mask.
[[nodiscard]] sigset_t block_daemon_signals() noexcept;

// Loads the policy file as the daemon trusts it (owner and mode checked unless
// --allow-insecure-policy), printing its diagnostics.
[[nodiscard]] rules::LoadResult load_daemon_policy(const RunOptions& options, std::ostream& err);

[[nodiscard]] int set_up_daemon(Daemon& daemon, std::ostream& err);

}  // namespace icmpgate::app
