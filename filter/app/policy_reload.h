#pragma once
// SIGHUP's policy reload: the file is loaded again and swapped in atomically, or not at all (an
// invalid policy keeps the running one). Limiters whose definition did not change keep their
// buckets; the replaced policy's rule hits are folded into the totals by rule id.

#include <iosfwd>

#include "filter/app/daemon.h"
#include "filter/app/daemon_stats.h"

namespace icmpgate::app {

// Tells systemd (RELOADING=1, then READY=1 with a status) and prints the outcome on `err`.
void reload_policy(Daemon& daemon, DaemonStats& stats, RuleHits& earlier_hits, std::ostream& err);

}  // namespace icmpgate::app
