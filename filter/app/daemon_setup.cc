#include "filter/app/daemon_setup.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <ostream>
#include <random>
#include <system_error>

#include "filter/app/cli.h"
#include "filter/app/daemon_stats.h"
#include "filter/app/periodic_outputs.h"
#include "filter/app/policy_file_check.h"
#include "filter/app/policy_report.h"
#include "filter/app/privileges.h"

namespace icmpgate::app {
namespace {

// Lines wait at most this long in memory before the writer takes them: ~100 writes a
// second instead of one wake-up per packet batch (docs/performance.md, added latency).
constexpr std::chrono::milliseconds kLogLinger{10};

int open_log(Daemon& d, std::ostream& err) {
    if (d.options.log_path.empty()) return 0;
    try {
        d.writer = std::make_unique<log::AsyncLineWriter>(
            log::AsyncLineWriter::Options{.path = d.options.log_path,
                                          .capacity_bytes = d.options.log_buffer_bytes,
                                          .max_line = kLogLineMax,
                                          .linger = kLogLinger});
    } catch (const std::system_error& e) {
        err << "icmpgate: " << e.what() << "\n";
        return kExitOsError;
    }
    return 0;
}

int bind_queues(Daemon& d, std::ostream& err) {
    const RunOptions& o = d.options;
    nfq::WorkerOptions worker_options;
    worker_options.suppressor = &d.log_budget;
    worker_options.community_id_seed = o.community_id_seed;
    worker_options.ipv6_text = o.ipv6_text;
    worker_options.enforcement = o.monitor ? pipeline::Enforcement::monitor : pipeline::Enforcement::enforce;
    for (unsigned q = o.first_queue; q <= o.last_queue; ++q) {
        const nfq::QueueConfig config{.queue_number = static_cast<std::uint16_t>(q),
                                      .copy_range = o.copy_range,
                                      .max_length = o.queue_max_length,
                                      .receive_buffer = effective_receive_buffer(o),
                                      .fail_open = o.fail_open};
        try {
            d.counters.push_back(std::make_unique<nfq::QueueCounters>());
            d.log_outputs.push_back(d.writer ? std::make_unique<pipeline::AsyncWriterOutput>(*d.writer) : nullptr);
            d.workers.push_back(std::make_unique<nfq::QueueWorker>(nfq::QueueSocket(config), d.active,
                                                                   d.log_outputs.back().get(), d.interface_epoch,
                                                                   *d.counters.back(), worker_options));
            if (d.capture) {
                capture::CaptureQueue& queue = d.capture->add_queue(o.capture.queue_bytes);
                d.capture_sinks.push_back(std::make_unique<capture::CaptureSink>(
                    queue, *d.capture, capture::CaptureSinkOptions{o.capture.selection, nfq::realtime_clock_ns}));
                d.workers.back()->add_sink(*d.capture_sinks.back());
            }
        } catch (const std::system_error& e) {
            err << "icmpgate: queue " << q << ": " << e.what() << "\n";
            return kExitUnavailable;
        }
    }
    return 0;
}

// Queues bound and log open: keep only CAP_NET_ADMIN (and switch user) before the queue threads
// start, so they inherit the reduced set.
int keep_only_what_filtering_needs(const Daemon& d, std::ostream& err) {
    try {
        err << "icmpgate: running with " << drop_privileges(d.options.user) << "\n";
    } catch (const std::runtime_error& e) {
        err << "icmpgate: " << e.what() << "\n";
        return kExitOsError;
    }
    return 0;
}

// After the privilege drop: the capture directory and files belong to the user the daemon runs as.
int start_capture_writer(Daemon& d, std::ostream& err) {
    if (!d.capture) return 0;
    return start_capture(*d.capture, d.options.capture, err) ? 0 : kExitOsError;
}

int start_queue_threads(Daemon& d, std::ostream& err) {
    try {
        for (auto& w : d.workers) d.threads.emplace_back([&stop = d.stop, worker = w.get()] { worker->run(stop); });
    } catch (const std::system_error& e) {
        d.stop_queue_threads();  // joinable threads must not be destroyed (std::terminate)
        err << "icmpgate: cannot start a queue thread: " << e.what() << "\n";
        return kExitOsError;
    }
    return 0;
}

}  // namespace

sigset_t block_daemon_signals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGHUP, SIGUSR1, SIGTERM, SIGINT}) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

rules::LoadResult load_daemon_policy(const RunOptions& options, std::ostream& err) {
    rules::LoadResult loaded = load_trusted_policy(options.policy_path, options.allow_insecure_policy, geteuid());
    if (loaded.ok())
        print_warnings(loaded, err);  // as `icmpgate check` reports them
    else
        print_diagnostics(loaded, err);
    return loaded;
}

int set_up_daemon(Daemon& d, std::ostream& err) {
    d.start_unix_ns = wall_clock_ns();
    const rules::LoadResult loaded = load_daemon_policy(d.options, err);
    if (!loaded.ok()) {
        err << "icmpgate: " << d.options.policy_path << ": invalid policy, not starting\n";
        return kExitInvalidInput;
    }
    d.hash_seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32U) | std::random_device{}();
    d.active.store(std::make_shared<pipeline::ActivePolicy>(loaded.policy, d.hash_seed));
    d.capture = make_capture_writer(d.options.capture);
    for (int (*step)(Daemon&, std::ostream&) : {open_log, bind_queues})
        if (const int code = step(d, err); code != 0) return code;
    if (const int code = keep_only_what_filtering_needs(d, err); code != 0) return code;
    if (const int code = start_capture_writer(d, err); code != 0) return code;
    return start_queue_threads(d, err);
}

}  // namespace icmpgate::app
