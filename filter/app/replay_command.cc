#include "filter/app/replay_command.h"

#include <filesystem>
#include <ostream>

#include "filter/app/cli.h"
#include "filter/app/policy_report.h"
#include "filter/app/replay_table.h"
#include "filter/log/json_line.h"
#include "filter/replay/pcap_replay.h"
#include "filter/replay/pcap_source.h"
#include "rules/policy_loader.h"

namespace icmpgate::app {
namespace {

// Writes each record as one JSON line, with the line options of the command line.
class JsonLineSink final : public replay::RecordSink {
public:
    JsonLineSink(std::ostream& out, std::optional<std::uint16_t> community_id_seed, log::Ipv6Text ipv6_text)
        : out_{out}, community_id_seed_{community_id_seed}, ipv6_text_{ipv6_text} {}
    void write(const log::VerdictRecord& record) override {
        if (community_id_seed_ || ipv6_text_ != log::Ipv6Text::rfc5952) {
            log::VerdictRecord with_options = record;
            with_options.community_id_seed = community_id_seed_;
            with_options.ipv6_text = ipv6_text_;
            if (!line_.format(with_options)) return;
        } else if (!line_.format(record)) {
            return;
        }
        out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    }

private:
    std::ostream& out_;
    std::optional<std::uint16_t> community_id_seed_;
    log::Ipv6Text ipv6_text_;
    log::JsonLine line_;
};

}  // namespace

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

    replay::ReplayOutcome outcome;
    if (options.format == ReplayFormat::json) {
        JsonLineSink sink{out, options.community_id_seed, options.ipv6_text};
        outcome = replay::replay_capture(*loaded.policy, *source, pcap_filename, sink);
        out.flush();
        err << "icmpgate: replayed " << options.capture_path << '\n';
        print_totals(outcome.counts, err);
    } else {
        ReplayTable table;
        outcome = replay::replay_capture(*loaded.policy, *source, pcap_filename, table);
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
