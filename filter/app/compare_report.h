#pragma once
// The report of `icmpgate replay --policy NEW --compare OLD CAPTURE` (docs/log-format.md,
// "Policy comparison"): every differing frame as a JSON line as it is found, then one summary
// line; or, with --format table, an aligned table of the differing frames and the summary.

#include <array>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "filter/compare/policy_comparison.h"
#include "filter/log/ip_text.h"

namespace icmpgate::app {

// Names of what was compared, for the summary.
struct ComparedFiles {
    std::string old_policy;  // as given on the command line
    std::string old_digest;  // "sha256:<hex>"
    std::string new_policy;
    std::string new_digest;
    std::string pcap_filename;  // the capture's file name
};

class DifferenceLines final : public compare::DifferenceSink {
public:
    DifferenceLines(std::ostream& out, std::string_view pcap_filename, log::Ipv6Text ipv6)
        : out_{out}, pcap_filename_{pcap_filename}, ipv6_{ipv6} {}
    void write(const compare::Difference& difference) override;

private:
    std::ostream& out_;
    std::string pcap_filename_;
    log::Ipv6Text ipv6_;
};

// The summary line: {"compare":"summary", ...}.
void write_summary_line(const compare::ComparisonTally& tally, const ComparedFiles& files, std::ostream& out);

class DifferenceTable final : public compare::DifferenceSink {
public:
    explicit DifferenceTable(log::Ipv6Text ipv6) : ipv6_{ipv6} {}
    void write(const compare::Difference& difference) override;
    // The differing frames (nothing when none differ), then the summary.
    void print(const compare::ComparisonTally& tally, const ComparedFiles& files, std::ostream& out) const;

    static constexpr std::size_t kColumnCount = 6;

private:
    log::Ipv6Text ipv6_;
    std::vector<std::array<std::string, kColumnCount>> rows_;
};

}  // namespace icmpgate::app
