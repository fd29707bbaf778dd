#include "filter/app/run_command.h"

#include <pthread.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "filter/app/cli.h"
#include "filter/app/daemon_stats.h"
#include "filter/app/policy_file_check.h"
#include "filter/app/policy_report.h"
#include "filter/app/privileges.h"
#include "filter/decode/anomaly.h"
#include "filter/log/async_line_writer.h"
#include "filter/metrics/prometheus_text.h"
#include "filter/metrics/stats_event.h"
#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/line_output.h"
#include "filter/pipeline/source_counters.h"
#include "filter/nfq/interface_names.h"
#include "filter/nfq/queue_counters.h"
#include "filter/nfq/queue_socket.h"
#include "filter/nfq/queue_worker.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {
namespace {

// How long the signal loop sleeps between looks at the watchdog.
constexpr long kSignalWaitMs = 500;
constexpr std::uint64_t kUsecPerSecond = 1'000'000;
// The longest log line: a stats event of a very large policy (thousands of rules) fits.
constexpr std::size_t kLogLineMax = 1U << 20U;
// Lines wait at most this long in memory before the writer takes them: ~100 writes a
// second instead of one wake-up per packet batch (docs/performance.md, added latency).
constexpr std::chrono::milliseconds kLogLinger{10};

std::uint64_t monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000U + static_cast<std::uint64_t>(ts.tv_nsec) / 1000U;
}

sigset_t daemon_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGHUP, SIGUSR1, SIGTERM, SIGINT}) sigaddset(&set, s);
    return set;
}

// The kernel's own counters for a queue (/proc/net/netfilter/nfnetlink_queue):
// queue_total (waiting), queue_dropped (queue full), user_dropped (netlink send failed).
std::string kernel_queue_line(std::uint16_t queue) {
    std::ifstream in("/proc/net/netfilter/nfnetlink_queue");
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        unsigned number = 0;
        unsigned peer = 0;
        unsigned total = 0;
        unsigned mode = 0;
        unsigned range = 0;
        unsigned long queue_dropped = 0;
        unsigned long user_dropped = 0;
        unsigned long last_id = 0;
        if (fields >> number >> peer >> total >> mode >> range >> queue_dropped >> user_dropped >> last_id &&
            number == queue)
            return "waiting " + std::to_string(total) + ", kernel queue_dropped " + std::to_string(queue_dropped) +
                   ", user_dropped " + std::to_string(user_dropped);
    }
    return "kernel counters unavailable";
}

// Rule hits by rule id, over every policy this run has had (a reload starts new counters).
using RuleHits = std::map<std::string, std::uint64_t>;

void fold_rule_hits(const pipeline::ActivePolicy& policy, RuleHits& hits) {
    for (std::size_t i = 0; i < policy.policy->rules.size(); ++i)
        hits[policy.policy->rules[i].id] += policy.rule_hits[i].load(std::memory_order_relaxed);
}

void print_summary(std::ostream& err, const std::vector<std::unique_ptr<nfq::QueueCounters>>& counters,
                   std::uint16_t first_queue, const pipeline::ActivePolicy& policy, RuleHits hits,
                   const log::AsyncLineWriter* writer, const std::optional<metrics::BypassStats>& bypass) {
    err << "icmpgate: summary\n";
    for (std::size_t i = 0; i < counters.size(); ++i) {
        const nfq::QueueCounters& c = *counters[i];
        const auto queue = static_cast<std::uint16_t>(first_queue + i);
        err << "  queue " << queue << ":";
        for (const pipeline::SourceCounterInfo& row : pipeline::kSourceCounters)
            err << (row.counter == pipeline::SourceCounter{} ? " " : ", ") << row.summary_text << " " << c.source.get(row.counter);
        err << "; " << kernel_queue_line(queue) << "\n";
    }
    // Fail-open (a full queue or socket buffer) and a missing listener let packets through that
    // no queue counter above shows: the queue rules' own counters against what we received.
    if (bypass) {
        err << "  queue rules: " << bypass->queue_rules << " (" << bypass->rules_without_counter
            << " without a counter), packets they queued " << bypass->rules_queued
            << ", bypassed uninspected (fail-open or no listener) " << bypass->bypassed << "\n";
    } else {
        err << "  queue rules: counters unavailable, bypassed packets not counted\n";
    }
    err << "  by reason:";
    for (const verdict::ReasonInfo& reason : verdict::kReasons) {
        std::uint64_t n = 0;
        for (const auto& c : counters) n += c->verdicts.snapshot().of(reason.reason);
        err << " " << reason.name << "=" << n;
    }
    err << "\n  anomalies that decided:";
    for (const decode::AnomalyInfo& info : decode::kAnomalies) {
        std::uint64_t n = 0;
        for (const auto& c : counters) n += c->verdicts.snapshot().of(info.anomaly);
        if (n > 0) err << " " << info.name << "=" << n;
    }
    fold_rule_hits(policy, hits);
    err << "\n  rule hits:";
    for (const auto& [id, n] : hits) err << " " << id << "=" << n;
    err << "\n  limiters:";
    for (std::size_t i = 0; i < policy.policy->limiters.size(); ++i) {
        const auto index = static_cast<rules::LimiterIndex>(i);
        err << " " << policy.policy->limiters[i].name << " (entries " << policy.limiters.entries(index)
            << ", evictions " << policy.limiters.evictions(index) << ", rate-limited " << policy.limiters.denials(index)
            << ")";
    }
    std::uint64_t suppressed = 0;
    std::uint64_t refused = 0;
    for (const auto& c : counters) {
        suppressed += c->log.suppressed.get();
        refused += c->log.refused.get();
    }
    err << "\n  log: suppressed " << suppressed << ", dropped (queue full) " << refused;
    if (writer != nullptr) {
        const log::LogWriterStats s = writer->stats();
        err << ", written " << s.written << ", lost to write errors " << s.dropped_write_error << " ("
            << s.write_errors << " failed writes), reopened " << s.reopens;
    }
    err << "\n";
}

// Writes the periodic EVE stats event and the Prometheus textfile when they are due.
class PeriodicOutputs {
public:
    PeriodicOutputs(const RunOptions& options, log::AsyncLineWriter* writer, std::ostream& err)
        : options_{options}, writer_{writer}, err_{err} {
        const std::uint64_t now = monotonic_usec();
        next_stats_ = now + options.stats_interval_seconds * kUsecPerSecond;
        next_metrics_ = now;  // the first file right away, so a collector never sees it missing
    }

    void tick(DaemonStats& stats, const pipeline::ActivePolicy& active, const RuleHits& earlier, bool final_round) {
        const std::uint64_t now = monotonic_usec();
        const bool stats_due = writer_ != nullptr && options_.stats_interval_seconds > 0 && (final_round || now >= next_stats_);
        const bool metrics_due = !options_.metrics_file.empty() && (final_round || now >= next_metrics_);
        if (!stats_due && !metrics_due) return;
        const metrics::StatsSnapshot snapshot = stats.snapshot(active, earlier, wall_clock_ns());
        if (stats_due) {
            next_stats_ = now + options_.stats_interval_seconds * kUsecPerSecond;
            const std::string line = metrics::format_stats_event(snapshot, kLogLineMax - 1);
            if (line.empty()) err_ << "icmpgate: stats event longer than " << kLogLineMax << " bytes, not logged\n";
            else writer_->submit(line);
        }
        if (metrics_due) {
            next_metrics_ = now + options_.metrics_interval_seconds * kUsecPerSecond;
            try {
                metrics::write_file_atomically(options_.metrics_file, metrics::format_prometheus_text(snapshot));
                metrics_failing_ = false;
            } catch (const std::system_error& e) {
                // Filtering goes on; say so once per run of failures.
                if (!metrics_failing_) err_ << "icmpgate: metrics file: " << e.what() << "\n";
                metrics_failing_ = true;
            }
        }
    }

private:
    const RunOptions& options_;
    log::AsyncLineWriter* writer_;
    std::ostream& err_;
    std::uint64_t next_stats_{0};
    std::uint64_t next_metrics_{0};
    bool metrics_failing_{false};
};

}  // namespace

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
    // Signals are taken synchronously by this thread; every thread started below inherits the mask.
    const sigset_t signals = daemon_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    const std::int64_t start_unix_ns = wall_clock_ns();

    rules::LoadResult loaded = load_trusted_policy(options.policy_path, options.allow_insecure_policy, geteuid());
    if (!loaded.ok()) {
        print_diagnostics(loaded, err);
        err << "icmpgate: " << options.policy_path << ": invalid policy, not starting\n";
        return kExitInvalidInput;
    }
    print_warnings(loaded, err);

    // A random seed per run for the limiter tables' hash (flooding a table with colliding
    // keys needs the seed); reloads keep it so carried-over tables stay valid.
    const std::uint64_t hash_seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32U) | std::random_device{}();
    pipeline::ActivePolicyHandle active{std::make_shared<pipeline::ActivePolicy>(loaded.policy, hash_seed)};

    std::unique_ptr<log::AsyncLineWriter> writer;
    if (!options.log_path.empty()) {
        try {
            writer = std::make_unique<log::AsyncLineWriter>(
                log::AsyncLineWriter::Options{.path = options.log_path, .capacity_bytes = options.log_buffer_bytes, .max_line = kLogLineMax, .linger = kLogLinger});
        } catch (const std::system_error& e) {
            err << "icmpgate: " << e.what() << "\n";
            return kExitOsError;
        }
    }

    nfq::InterfaceNamesEpoch interface_epoch;  // each queue thread caches names; SIGHUP makes them forget
    // One --log-rate budget per (rule, reason) for all queue threads together (lock-free).
    log::LogSuppressor log_budget{options.log_lines_per_second};
    std::vector<std::unique_ptr<nfq::QueueCounters>> counters;
    std::vector<std::unique_ptr<pipeline::AsyncWriterOutput>> log_outputs;  // one per queue thread
    std::vector<std::unique_ptr<nfq::QueueWorker>> workers;
    for (unsigned q = options.first_queue; q <= options.last_queue; ++q) {
        nfq::QueueConfig config{.queue_number = static_cast<std::uint16_t>(q),
                                .copy_range = options.copy_range,
                                .max_length = options.queue_max_length,
                                .receive_buffer = effective_receive_buffer(options),
                                .fail_open = options.fail_open};
        try {
            counters.push_back(std::make_unique<nfq::QueueCounters>());
            log_outputs.push_back(writer ? std::make_unique<pipeline::AsyncWriterOutput>(*writer) : nullptr);
            nfq::WorkerOptions worker_options;
            worker_options.suppressor = &log_budget;
            worker_options.community_id_seed = options.community_id_seed;
            worker_options.ipv6_text = options.ipv6_text;
            workers.push_back(std::make_unique<nfq::QueueWorker>(nfq::QueueSocket(config), active,
                                                                 log_outputs.back().get(), interface_epoch,
                                                                 *counters.back(), worker_options));
        } catch (const std::system_error& e) {
            err << "icmpgate: queue " << q << ": " << e.what() << "\n";
            return kExitUnavailable;
        }
    }

    // Queues bound and log open: keep only CAP_NET_ADMIN (and switch user) before the queue
    // threads start, so they inherit the reduced set.
    try {
        err << "icmpgate: running with " << drop_privileges(options.user) << "\n";
    } catch (const std::runtime_error& e) {
        err << "icmpgate: " << e.what() << "\n";
        return kExitOsError;
    }

    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    try {
        for (auto& w : workers) threads.emplace_back([&stop, worker = w.get()] { worker->run(stop); });
    } catch (const std::system_error& e) {
        // Joinable threads must not be destroyed (std::terminate): stop and join those started.
        stop.store(true);
        for (std::thread& t : threads) t.join();
        err << "icmpgate: cannot start a queue thread: " << e.what() << "\n";
        return kExitOsError;
    }

    // Queues bound: the baseline of the bypass count (the rules' counters run since their creation).
    DaemonStats stats{counters, options.first_queue, options.last_queue, writer.get(), start_unix_ns, err};
    (void)stats.sample_bypass();

    err << "icmpgate: filtering queue" << (options.first_queue == options.last_queue ? " " : "s ")
        << options.first_queue;
    if (options.last_queue != options.first_queue) err << "-" << options.last_queue;
    err << " with " << options.policy_path << " (" << loaded.policy->digest << ", " << loaded.policy->rules.size()
        << " rules), log " << (options.log_path.empty() ? "off" : options.log_path) << "\n";
    err.flush();
    sd_notifyf(0, "READY=1\nSTATUS=filtering, policy %s", loaded.policy->digest.c_str());

    std::uint64_t watchdog_usec = 0;
    const bool watchdog = sd_watchdog_enabled(0, &watchdog_usec) > 0;
    std::uint64_t last_ping = monotonic_usec();
    RuleHits earlier_hits;
    PeriodicOutputs periodic{options, writer.get(), err};

    for (;;) {
        const timespec wait{0, kSignalWaitMs * 1'000'000L};
        const int sig = sigtimedwait(&signals, nullptr, &wait);
        if (watchdog && monotonic_usec() - last_ping >= watchdog_usec / 2) {
            sd_notify(0, "WATCHDOG=1");
            last_ping = monotonic_usec();
        }
        periodic.tick(stats, *active.load(), earlier_hits, false);
        if (sig < 0) continue;  // timeout or EINTR
        if (sig == SIGTERM || sig == SIGINT) break;
        if (sig == SIGUSR1) {
            if (writer) writer->request_reopen();
            continue;
        }
        // SIGHUP: reload the policy (atomically, or not at all) and reopen the log.
        sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", static_cast<unsigned long long>(monotonic_usec()));
        if (writer) writer->request_reopen();
        interface_epoch.invalidate();
        rules::LoadResult next = load_trusted_policy(options.policy_path, options.allow_insecure_policy, geteuid());
        if (!next.ok()) {
            print_diagnostics(next, err);
            err << "icmpgate: reload failed: keeping the running policy (" << active.load()->policy->digest << ")\n";
            stats.reload_failed();
            sd_notify(0, "READY=1\nSTATUS=reload failed, running the previous policy");
        } else {
            print_warnings(next, err);  // as `icmpgate check` and the start report them
            auto fresh = std::make_shared<pipeline::ActivePolicy>(next.policy, hash_seed);
            // Limiters whose definition did not change keep their buckets.
            const std::shared_ptr<pipeline::ActivePolicy> current = active.load();
            const std::size_t carried =
                fresh->limiters.carry_over(current->limiters, current->policy->limiters, next.policy->limiters);
            const std::shared_ptr<pipeline::ActivePolicy> previous = active.exchange(fresh);
            fold_rule_hits(*previous, earlier_hits);
            stats.reload_succeeded(wall_clock_ns());
            err << "icmpgate: reloaded " << options.policy_path << " (" << next.policy->digest << ", "
                << next.policy->rules.size() << " rules, " << carried << " of " << next.policy->limiters.size()
                << " limiters carried over)\n";
            sd_notifyf(0, "READY=1\nSTATUS=filtering, policy %s", next.policy->digest.c_str());
        }
        err.flush();
    }

    sd_notify(0, "STOPPING=1");
    stop.store(true);
    for (std::thread& t : threads) t.join();
    periodic.tick(stats, *active.load(), earlier_hits, true);
    const std::optional<metrics::BypassStats> bypass = stats.sample_bypass();
    if (writer) writer->flush();
    print_summary(err, counters, options.first_queue, *active.load(), std::move(earlier_hits), writer.get(), bypass);
    return 0;
}

}  // namespace icmpgate::app
