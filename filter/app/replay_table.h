#pragma once
// The human-readable form of a replay (`--format table`): one aligned row per frame and
// a totals block. Rows are buffered so that columns can be sized to their contents.

#include <array>
#include <iosfwd>
#include <string>
#include <vector>

#include "filter/log/verdict_record.h"
#include "filter/replay/pcap_replay.h"

namespace icmpgate::app {

class ReplayTable final : public replay::RecordSink {
public:
    void write(const log::VerdictRecord& record) override;
    // Prints the header, the rows and the totals.
    void print(const pipeline::VerdictCounts& counts, std::ostream& out) const;

    // The last column, "monitor", is printed only when monitor mode found something for some
    // frame (replay --monitor, a rule in monitor mode): what would have been done.
    static constexpr std::size_t kColumnCount = 8;
    using Row = std::array<std::string, kColumnCount>;
    [[nodiscard]] const std::vector<Row>& rows() const noexcept { return rows_; }

private:
    std::vector<Row> rows_;
    bool any_would_be_{false};
};

// "12 frames: 9 accepted, 3 dropped" plus one line per reason with a count, most common
// first; used by both formats.
void print_totals(const pipeline::VerdictCounts& counts, std::ostream& out);

}  // namespace icmpgate::app
