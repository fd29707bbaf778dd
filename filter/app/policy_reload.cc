#include "filter/app/policy_reload.h"

#include <systemd/sd-daemon.h>

#include <ostream>

#include "filter/app/daemon_setup.h"
#include "filter/app/policy_report.h"

namespace icmpgate::app {

void reload_policy(Daemon& d, DaemonStats& stats, RuleHits& earlier_hits, std::ostream& err) {
    sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
               static_cast<unsigned long long>(nfq::monotonic_clock_ns() / 1000));
    const rules::LoadResult next = load_daemon_policy(d.options, err);
    if (!next.ok()) {
        err << "icmpgate: reload failed: keeping the running policy (" << d.active.load()->policy->digest << ")\n";
        stats.reload_failed();
        sd_notify(0, "READY=1\nSTATUS=reload failed, running the previous policy");
        return;
    }
    auto fresh = std::make_shared<pipeline::ActivePolicy>(next.policy, d.hash_seed);
    const std::shared_ptr<pipeline::ActivePolicy> current = d.active.load();
    const std::size_t carried =
        fresh->limiters.carry_over(current->limiters, current->policy->limiters, next.policy->limiters);
    const std::shared_ptr<pipeline::ActivePolicy> previous = d.active.exchange(fresh);
    fold_rule_hits(*previous, earlier_hits);
    stats.reload_succeeded(wall_clock_ns());
    err << "icmpgate: reloaded " << d.options.policy_path << " (" << next.policy->digest << ", "
        << rules_text(*next.policy) << ", " << carried << " of " << next.policy->limiters.size()
        << " limiters carried over)\n";
    sd_notifyf(0, "READY=1\nSTATUS=%s, policy %s", d.options.monitor ? "monitoring (--monitor)" : "filtering",
               next.policy->digest.c_str());
}

}  // namespace icmpgate::app
