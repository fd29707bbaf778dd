#pragma once
// What `icmpgate run` holds while it runs, in one place: the policy the queue threads use, the
// log writer and its suppression budget, each queue's socket, worker, counters and log output,
// and the threads. Set up by daemon_setup.cc, driven by signal_loop.cc (reload in
// policy_reload.cc), summarised by daemon_summary.cc. Destroying it stops and joins the threads
// that were started.

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "filter/app/run_command.h"
#include "filter/capture/capture_sink.h"
#include "filter/capture/capture_writer.h"
#include "filter/log/async_line_writer.h"
#include "filter/log/log_suppressor.h"
#include "filter/nfq/interface_names.h"
#include "filter/nfq/queue_counters.h"
#include "filter/nfq/queue_worker.h"
#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/line_output.h"

namespace icmpgate::app {

struct Daemon {
    explicit Daemon(const RunOptions& run_options)
        : options{run_options}, log_budget{run_options.log_lines_per_second} {}
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;
    ~Daemon() { stop_queue_threads(); }

    // Tells the queue threads to stop and waits for them (each sends its pending verdicts and its
    // last log lines first).
    void stop_queue_threads() noexcept {
        stop.store(true);
        for (std::thread& t : threads)
            if (t.joinable()) t.join();
    }

    const RunOptions& options;
    std::int64_t start_unix_ns{0};
    // Seeds the limiter tables' hash: random per run (flooding a table with colliding keys needs
    // it), kept across reloads so carried-over tables stay valid.
    std::uint64_t hash_seed{0};
    pipeline::ActivePolicyHandle active;
    std::unique_ptr<log::AsyncLineWriter> writer;  // null: no verdict log
    log::LogSuppressor log_budget;                 // --log-rate, one budget for all queue threads
    nfq::InterfaceNamesEpoch interface_epoch;      // each queue thread caches names; SIGHUP makes them forget
    std::vector<std::unique_ptr<nfq::QueueCounters>> counters;              // one per queue
    std::vector<std::unique_ptr<pipeline::AsyncWriterOutput>> log_outputs;  // one per queue (null: no log)
    std::unique_ptr<capture::CaptureWriter> capture;                        // --capture (null: off)
    std::vector<std::unique_ptr<capture::CaptureSink>> capture_sinks;       // one per queue (with --capture)
    std::vector<std::unique_ptr<nfq::QueueWorker>> workers;                 // one per queue
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
};

}  // namespace icmpgate::app
