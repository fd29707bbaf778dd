#include "filter/app/replay_command.h"

#include <array>
#include <filesystem>
#include <ostream>

#include "filter/app/cli.h"
#include "filter/app/policy_report.h"
#include "filter/app/replay_table.h"
#include "filter/log/log_suppressor.h"
#include "filter/pipeline/eve_log_sink.h"
#include "filter/pipeline/line_output.h"
#include "filter/replay/pcap_replay.h"
#include "filter/replay/pcap_source.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {

int run_replay(const ReplayOptions& options, std::ostream& out, std::ostream& err) {
    const rules::LoadResult loaded = rules::load_policy_file(options.policy_path);
    if (!loaded.ok()) {
        print_diagnostics(loaded, err);
        err << "icmpgate: invalid policy " << options.policy_path << '\n';
        return kExitInvalidInput;
    }
    for (const rules::Diagnostic& diagnostic : loaded.diagnostics) err << diagnostic.to_string() << '\n';

    std::string open_error;
    std::optional<replay::PcapSource> source = replay::PcapSource::open(options.capture_path, open_error);
    if (!source) {
        err << "icmpgate: cannot read capture " << options.capture_path << ": " << open_error << '\n';
        return kExitInvalidInput;
    }
    // Records name the capture by its file name, so they do not depend on where it was read from.
    const std::string pcap_filename = std::filesystem::path{options.capture_path}.filename().string();

    const pipeline::Enforcement enforcement =
        options.monitor ? pipeline::Enforcement::monitor : pipeline::Enforcement::enforce;
    replay::ReplayOutcome outcome;
    if (options.format == ReplayFormat::json) {
        // The daemon's log sink, its clock the capture's: with --log-rate, the same lines are
        // suppressed as the daemon would have suppressed for this traffic.
        log::LogSuppressor suppressor{options.log_lines_per_second};
        pipeline::StreamOutput lines{out};
        pipeline::LogSinkCounters log_counts;
        pipeline::EveLogOptions log_options;
        log_options.suppressor = options.log_lines_per_second > 0 ? &suppressor : nullptr;
        log_options.suppression_clock = pipeline::SuppressionClock::from_first_batch;
        log_options.community_id_seed = options.community_id_seed;
        log_options.ipv6_text = options.ipv6_text;
        pipeline::EveLogSink sink{lines, log_counts, log_options};
        outcome = replay::replay_capture(*loaded.policy, *source, pcap_filename, sink, enforcement);
        out.flush();
        err << "icmpgate: replayed " << options.capture_path << '\n';
        print_totals(outcome.counts, err);
        if (options.log_lines_per_second > 0)
            err << "  lines suppressed by --log-rate  " << log_counts.suppressed.get() << '\n';
    } else {
        ReplayTable table;
        outcome = replay::replay_capture(*loaded.policy, *source, pcap_filename, table, enforcement);
        table.print(outcome.counts, out);
        out.flush();
    }
    if (!outcome.ok) {
        err << "icmpgate: " << options.capture_path << ": " << outcome.error << '\n';
        return kExitInvalidInput;
    }
    return kExitOk;
}

}  // namespace icmpgate::app
