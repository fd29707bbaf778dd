#pragma once
// Where the EVE sink's lines go: the narrow interface the pipeline writes log lines through.
// The daemon's is the asynchronous log writer (AsyncWriterOutput below: lines queued without a
// wake-up, the writer woken once per batch after the verdicts); replay's an output stream; tests
// keep the lines. One line per call, ending in its newline (a stream writes it in one call); one
// indirect call per line written.

#include <iosfwd>
#include <string_view>

namespace icmpgate::log {
class AsyncLineWriter;
}

namespace icmpgate::pipeline {

class LineOutput {
public:
    virtual ~LineOutput() = default;
    LineOutput(const LineOutput&) = delete;
    LineOutput& operator=(const LineOutput&) = delete;

    // One line ending in '\n'. False when it was refused (the sink counts it).
    virtual bool submit(std::string_view line) noexcept = 0;
    // The batch's lines are all submitted and its verdicts sent.
    virtual void end_batch() noexcept {}

protected:
    LineOutput() = default;
};

// The daemon's: one per queue thread, over the writer all threads share.
class AsyncWriterOutput final : public LineOutput {
public:
    explicit AsyncWriterOutput(log::AsyncLineWriter& writer) noexcept : writer_{writer} {}
    bool submit(std::string_view line) noexcept override;
    // Wakes the writer if this thread queued lines since the last wake-up
    // (AsyncLineWriter::submit_without_wake says why only then).
    void end_batch() noexcept override;

private:
    log::AsyncLineWriter& writer_;
    bool lines_submitted_{false};
};

// Replay's: each line and its newline to a stream.
class StreamOutput final : public LineOutput {
public:
    explicit StreamOutput(std::ostream& out) noexcept : out_{out} {}
    bool submit(std::string_view line) noexcept override;

private:
    std::ostream& out_;
};

}  // namespace icmpgate::pipeline
