#include "filter/pipeline/line_output.h"

#include <ostream>

#include "filter/log/async_line_writer.h"

namespace icmpgate::pipeline {

bool AsyncWriterOutput::submit(std::string_view line) noexcept {
    line.remove_suffix(1);  // the writer adds the newline itself
    if (!writer_.submit_without_wake(line)) return false;
    lines_submitted_ = true;
    return true;
}

void AsyncWriterOutput::end_batch() noexcept {
    if (!lines_submitted_) return;
    lines_submitted_ = false;
    writer_.wake();
}

bool StreamOutput::submit(std::string_view line) noexcept {
    try {
        out_.write(line.data(), static_cast<std::streamsize>(line.size()));
    } catch (...) {  // a stream with exceptions enabled; the line is lost and counted
        return false;
    }
    return static_cast<bool>(out_);
}

}  // namespace icmpgate::pipeline
