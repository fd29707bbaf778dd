#include "filter/app/signal_loop.h"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <ostream>

#include "filter/app/policy_reload.h"

namespace icmpgate::app {
namespace {

// How long the loop sleeps between looks at the watchdog and the periodic outputs.
constexpr long kSignalWaitNs = 500'000'000;

// systemd's watchdog, when the unit sets WatchdogSec: a ping at half the interval.
class Watchdog {
public:
    Watchdog() noexcept {
        std::uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) > 0) interval_ns_ = static_cast<std::int64_t>(usec) * 1000;
        last_ping_ns_ = nfq::monotonic_clock_ns();
    }
    void ping_if_due() noexcept {
        if (interval_ns_ == 0) return;
        const std::int64_t now = nfq::monotonic_clock_ns();
        if (now - last_ping_ns_ < interval_ns_ / 2) return;
        sd_notify(0, "WATCHDOG=1");
        last_ping_ns_ = now;
    }

private:
    std::int64_t interval_ns_{0};  // 0: no watchdog
    std::int64_t last_ping_ns_{0};
};

}  // namespace

void run_signal_loop(const sigset_t& signals, Daemon& d, DaemonStats& stats, PeriodicOutputs& periodic,
                     RuleHits& earlier_hits, std::ostream& err) {
    Watchdog watchdog;
    for (;;) {
        const timespec wait{0, kSignalWaitNs};
        const int sig = sigtimedwait(&signals, nullptr, &wait);
        watchdog.ping_if_due();
        periodic.tick(stats, *d.active.load(), earlier_hits, false);
        if (sig < 0) continue;  // timeout or EINTR
        if (sig == SIGTERM || sig == SIGINT) return;
        if (d.writer) d.writer->request_reopen();  // SIGUSR1 and SIGHUP
        if (sig == SIGHUP) {
            d.interface_epoch.invalidate();
            reload_policy(d, stats, earlier_hits, err);
            err.flush();
        }
    }
}

}  // namespace icmpgate::app
