#include "filter/app/compare_command.h"

#include <array>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "filter/app/compare_report.h"
#include "filter/app/policy_report.h"
#include "filter/compare/policy_comparison.h"
#include "filter/replay/pcap_replay.h"
#include "filter/replay/pcap_source.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {
namespace {

// The policy at `path`, or nullopt after printing why not (with `role`: "old" or "new").
std::optional<rules::LoadResult> load(const std::string& path, const char* role, std::ostream& err) {
    rules::LoadResult loaded = rules::load_policy_file(path);
    if (!loaded.ok()) {
        print_diagnostics(loaded, err);
        err << "icmpgate: invalid " << role << " policy " << path << '\n';
        return std::nullopt;
    }
    for (const rules::Diagnostic& diagnostic : loaded.diagnostics) err << diagnostic.to_string() << '\n';
    return loaded;
}

}  // namespace

int run_compare(const ReplayOptions& options, std::ostream& out, std::ostream& err) {
    // Both policies are checked before anything is read, so that every fault of both is reported.
    const std::optional<rules::LoadResult> old_policy = load(options.compare_policy_path, "old", err);
    const std::optional<rules::LoadResult> new_policy = load(options.policy_path, "new", err);
    if (!old_policy || !new_policy) return kExitCompareTrouble;

    std::string open_error;
    std::optional<replay::PcapSource> source = replay::PcapSource::open(options.capture_path, open_error);
    if (!source) {
        err << "icmpgate: cannot read capture " << options.capture_path << ": " << open_error << '\n';
        return kExitCompareTrouble;
    }
    const ComparedFiles files{options.compare_policy_path, old_policy->policy->digest, options.policy_path,
                              new_policy->policy->digest,
                              std::filesystem::path{options.capture_path}.filename().string()};

    // The pipeline decides with the new policy; the comparison sink again with the old one.
    replay::ReplayOutcome outcome;
    std::optional<compare::ComparisonTally> tally;
    if (options.format == ReplayFormat::json) {
        DifferenceLines lines{out, files.pcap_filename, options.ipv6_text};
        compare::ComparisonSink comparison{*old_policy->policy, lines};
        outcome = replay::replay_capture(*new_policy->policy, *source, files.pcap_filename, comparison);
        tally = comparison.tally();
        if (outcome.ok) write_summary_line(*tally, files, out);
    } else {
        DifferenceTable table{options.ipv6_text};
        compare::ComparisonSink comparison{*old_policy->policy, table};
        outcome = replay::replay_capture(*new_policy->policy, *source, files.pcap_filename, comparison);
        tally = comparison.tally();
        if (outcome.ok) table.print(*tally, files, out);
    }
    out.flush();
    if (!outcome.ok) {
        // Differences found before the damage are written; no summary: the comparison is incomplete.
        err << "icmpgate: " << options.capture_path << ": " << outcome.error << '\n';
        return kExitCompareTrouble;
    }
    if (options.format == ReplayFormat::json)  // as replay: json on stdout, a word for people on stderr
        err << "icmpgate: compared " << options.capture_path << ": " << tally->differing << " of " << tally->packets
            << (tally->packets == 1 ? " frame differs" : " frames differ") << '\n';
    return tally->differing == 0 ? kExitCompareSame : kExitCompareDifferent;
}

}  // namespace icmpgate::app
