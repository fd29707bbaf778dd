#include "filter/app/watch_command.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <memory>
#include <ostream>
#include <system_error>
#include <thread>

#include "filter/app/cli.h"
#include "filter/app/daemon_setup.h"
#include "filter/app/periodic_outputs.h"
#include "filter/app/policy_file_check.h"
#include "filter/app/policy_report.h"
#include "filter/app/privileges.h"
#include "filter/app/replay_table.h"
#include "filter/app/run_command.h"
#include "filter/log/async_line_writer.h"
#include "filter/log/log_suppressor.h"
#include "filter/pipeline/eve_log_sink.h"
#include "filter/pipeline/line_output.h"
#include "filter/watch/live_capture.h"
#include "filter/watch/watch_source.h"

namespace icmpgate::app {
namespace {

// As the daemon's log writer: lines wait at most this long in memory.
constexpr std::chrono::milliseconds kLogLinger{10};
// How long the signal loop sleeps before it looks at the watch thread again.
constexpr long kSignalWaitNs = 200'000'000;
// Watch has no hash-flooding attacker in mind beyond the daemon's; a fixed seed keeps it simple
// and its limiter tables reproducible (as replay's).
constexpr std::uint64_t kWatchHashSeed = 0;

std::int64_t realtime_ns() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void print_watch_summary(std::ostream& err, const WatchOptions& o, const watch::WatchCounters& counters,
                         const watch::LiveCaptureStats& pcap, const pipeline::LogSinkCounters& log_counts,
                         const log::AsyncLineWriter* writer, const capture::CaptureWriter* capture) {
    err << "icmpgate: summary\n";
    err << "  interface " << o.interface << ": frames " << counters.frames.get() << " (without IP "
        << counters.not_ip.get() << "); libpcap received " << pcap.received << ", dropped (ring full) " << pcap.dropped
        << ", dropped by the interface " << pcap.interface_dropped << "\n";
    err << "  ";
    print_totals(counters.verdicts.snapshot(), err);
    err << "  log: suppressed " << log_counts.suppressed.get() << ", dropped (queue full) " << log_counts.refused.get();
    if (writer != nullptr) {
        const log::LogWriterStats s = writer->stats();
        err << ", written " << s.written << ", lost to write errors " << s.dropped_write_error << ", reopened "
            << s.reopens;
    }
    err << "\n";
    if (capture != nullptr) print_capture_summary(err, capture->counts());
}

}  // namespace

int run_watch(const WatchOptions& o, std::ostream& err) {
    const sigset_t signals = block_daemon_signals();

    const rules::LoadResult loaded = load_trusted_policy(o.policy_path, o.allow_insecure_policy, geteuid());
    if (!loaded.ok()) {
        print_diagnostics(loaded, err);
        err << "icmpgate: " << o.policy_path << ": invalid policy, not starting\n";
        return kExitInvalidInput;
    }
    print_warnings(loaded, err);
    pipeline::ActivePolicy active{loaded.policy, kWatchHashSeed};

    std::unique_ptr<log::AsyncLineWriter> writer;
    if (!o.log_path.empty()) {
        try {
            writer = std::make_unique<log::AsyncLineWriter>(
                log::AsyncLineWriter::Options{.path = o.log_path,
                                              .capacity_bytes = o.log_buffer_bytes,
                                              .max_line = kLogLineMax,
                                              .linger = kLogLinger});
        } catch (const std::system_error& e) {
            err << "icmpgate: " << e.what() << "\n";
            return kExitOsError;
        }
    }
    std::unique_ptr<capture::CaptureWriter> capture = make_capture_writer(o.capture, o.interface);
    std::unique_ptr<capture::CaptureSink> capture_sink;  // the watch thread's queue to the writer
    if (capture)
        capture_sink = std::make_unique<capture::CaptureSink>(capture->add_queue(o.capture.queue_bytes), *capture,
                                                              capture::CaptureSinkOptions{o.capture.selection});

    std::string error;
    const std::unique_ptr<watch::LiveCapture> live = watch::LiveCapture::open({.interface = o.interface,
                                                                               .snaplen = o.snaplen,
                                                                               .buffer_bytes = o.pcap_buffer_bytes,
                                                                               .promiscuous = o.promiscuous},
                                                                              error);
    if (!live) {
        err << "icmpgate: watch: cannot capture: " << error << "\n";
        return kExitUnavailable;
    }
    // The packet socket is open: nothing more is needed from the system.
    try {
        err << "icmpgate: running with " << drop_privileges(o.user, KeptCapability::none) << "\n";
    } catch (const std::runtime_error& e) {
        err << "icmpgate: " << e.what() << "\n";
        return kExitOsError;
    }
    if (capture && !start_capture(*capture, o.capture, err)) return kExitOsError;

    watch::WatchCounters counters;
    watch::WatchSource source{*live, active, counters, o.interface, realtime_ns};
    log::LogSuppressor suppressor{o.log_lines_per_second};
    pipeline::LogSinkCounters log_counts;
    std::unique_ptr<pipeline::AsyncWriterOutput> lines;
    std::unique_ptr<pipeline::EveLogSink> log_sink;
    if (writer) {
        lines = std::make_unique<pipeline::AsyncWriterOutput>(*writer);
        pipeline::EveLogOptions log_options;
        log_options.suppressor = o.log_lines_per_second > 0 ? &suppressor : nullptr;
        // Frame times are dates: the suppression windows count from the first batch, as replay's.
        log_options.suppression_clock = pipeline::SuppressionClock::from_first_batch;
        log_options.community_id_seed = o.community_id_seed;
        log_options.ipv6_text = o.ipv6_text;
        log_sink = std::make_unique<pipeline::EveLogSink>(*lines, log_counts, log_options);
        source.add_sink(*log_sink);
    }
    if (capture_sink) source.add_sink(*capture_sink);

    const rules::CompiledPolicy& policy = *active.policy;
    err << "icmpgate: watching " << o.interface << " (filter '" << live->filter() << "') with " << o.policy_path << " ("
        << policy.digest << ", " << policy.rules.size() << " rules), log " << (o.log_path.empty() ? "off" : o.log_path)
        << "\n";
    err.flush();

    std::atomic<bool> stop{false};
    std::atomic<bool> ended{false};
    bool source_ok = true;
    std::thread thread;
    try {
        thread = std::thread([&] {
            source_ok = source.run(stop);
            ended.store(true);
        });
    } catch (const std::system_error& e) {
        err << "icmpgate: cannot start the watch thread: " << e.what() << "\n";
        return kExitOsError;
    }
    while (!ended.load()) {
        const timespec wait{0, kSignalWaitNs};
        const int sig = sigtimedwait(&signals, nullptr, &wait);
        if (sig == SIGTERM || sig == SIGINT) break;
        if ((sig == SIGHUP || sig == SIGUSR1) && writer) writer->request_reopen();
    }
    stop.store(true);
    thread.join();
    if (capture) capture->stop();
    if (writer) writer->flush();
    print_watch_summary(err, o, counters, live->stats(), log_counts, writer.get(), capture.get());
    if (!source_ok) {
        err << "icmpgate: watch: capture on " << o.interface << " failed: " << live->error_message() << "\n";
        return kExitOsError;
    }
    return kExitOk;
}

}  // namespace icmpgate::app
