#pragma once
// The daemon's control thread once the queue threads run: it waits for signals (taken
// synchronously, blocked everywhere else), pings systemd's watchdog at half its interval, and
// writes the periodic outputs. SIGHUP reloads the policy (policy_reload.h) and reopens the log,
// SIGUSR1 reopens the log; SIGTERM and SIGINT end the loop.

#include <csignal>
#include <iosfwd>

#include "filter/app/daemon.h"
#include "filter/app/daemon_stats.h"
#include "filter/app/periodic_outputs.h"

namespace icmpgate::app {

// Returns on SIGTERM or SIGINT. `earlier_hits` collects the rule hits of replaced policies.
void run_signal_loop(const sigset_t& signals, Daemon& daemon, DaemonStats& stats, PeriodicOutputs& periodic,
                     RuleHits& earlier_hits, std::ostream& err);

}  // namespace icmpgate::app
