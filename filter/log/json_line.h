#pragma once
// JsonLine: one verdict record as one EVE alert line (docs/log-format.md), in a buffer the
// object owns. Formatting is noexcept, allocation-free and unchecked: the buffer holds the
// longest line the layout (verdict_line.h) can write, which the compiler works out from that
// code (line_writer.h). The caller writes data()/size() (the line ends in '\n') with one write(2).

#include <cstddef>
#include <string_view>

#include "filter/log/eve_timestamp.h"
#include "filter/log/line_writer.h"
#include "filter/log/verdict_line.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::log {

class JsonLine {
public:
    // Formats the record, replacing any previous line. Always true: every line fits by
    // construction; the result is kept for callers written when it could fail.
    bool format(const VerdictRecord& record) noexcept;

    // The line including its final '\n'.
    [[nodiscard]] std::string_view line() const noexcept { return line_.view(); }
    [[nodiscard]] const char* data() const noexcept { return line_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return line_.size(); }

private:
    FixedLine<kVerdictLineMax> line_;
    EveTimestampCache timestamps_;
};

}  // namespace icmpgate::log
