#include "filter/app/run_command.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>

#include "filter/app/daemon.h"
#include "filter/app/daemon_setup.h"
#include "filter/app/daemon_stats.h"
#include "filter/app/daemon_summary.h"
#include "filter/app/periodic_outputs.h"
#include "filter/app/policy_report.h"
#include "filter/app/signal_loop.h"

namespace icmpgate::app {

std::uint32_t effective_receive_buffer(const RunOptions& options) noexcept {
    if (options.receive_buffer != 0) return options.receive_buffer;
    const std::uint64_t wanted = std::uint64_t{options.queue_max_length} * kReceiveBufferPerQueuedPacket;
    return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(wanted, kReceiveBufferMin, kReceiveBufferMax));
}

bool parse_queue_range(const std::string& text, std::uint16_t& first, std::uint16_t& last) {
    auto parse_number = [](const std::string& s, std::uint16_t& out) {
        if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
        const unsigned long v = std::stoul(s);
        if (v > 65535) return false;
        out = static_cast<std::uint16_t>(v);
        return true;
    };
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        if (!parse_number(text, first)) return false;
        last = first;
        return true;
    }
    return parse_number(text.substr(0, colon), first) && parse_number(text.substr(colon + 1), last) && first <= last;
}

int run_daemon(const RunOptions& options, std::ostream& err) {
    const sigset_t signals = block_daemon_signals();
    Daemon daemon{options};
    if (const int code = set_up_daemon(daemon, err); code != 0) return code;

    // Queues bound: the baseline of the bypass count (the rules' counters run since their creation).
    DaemonStats stats{daemon.counters,     options.first_queue,  options.last_queue,
                      daemon.writer.get(), daemon.start_unix_ns, err};
    stats.include_capture(daemon.capture.get());
    (void)stats.sample_bypass();

    const rules::CompiledPolicy& policy = *daemon.active.load()->policy;
    err << "icmpgate: " << (options.monitor ? "monitoring" : "filtering") << " queue"
        << (options.first_queue == options.last_queue ? " " : "s ") << options.first_queue;
    if (options.last_queue != options.first_queue) err << "-" << options.last_queue;
    err << " with " << options.policy_path << " (" << policy.digest << ", " << rules_text(policy) << "), log "
        << (options.log_path.empty() ? "off" : options.log_path) << "\n";
    if (options.monitor)
        err << "icmpgate: --monitor: every packet is accepted; the log says what the policy would do\n";
    err.flush();
    sd_notifyf(0, "READY=1\nSTATUS=%s, policy %s", options.monitor ? "monitoring (--monitor)" : "filtering",
               policy.digest.c_str());

    RuleHits earlier_hits;
    PeriodicOutputs periodic{options, daemon.writer.get(), err};
    run_signal_loop(signals, daemon, stats, periodic, earlier_hits, err);

    sd_notify(0, "STOPPING=1");
    daemon.stop_queue_threads();
    if (daemon.capture) daemon.capture->stop();  // writes what the queue threads left queued
    periodic.tick(stats, *daemon.active.load(), earlier_hits, true);
    const std::optional<metrics::BypassStats> bypass = stats.sample_bypass();
    if (daemon.writer) daemon.writer->flush();
    print_summary(err, daemon, std::move(earlier_hits), bypass);
    return 0;
}

}  // namespace icmpgate::app
