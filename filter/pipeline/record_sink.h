#pragma once
// A sink that takes each packet's verdict record (log/verdict_record.h) rather than the raw
// outcome: the replay table, the fuzzers' line checker, tests. The record carries the packet's
// origin (queue or capture) and its own time (the limiter clock: the capture time in replay).

#include "filter/log/verdict_record.h"
#include "filter/pipeline/packet_sink.h"

namespace icmpgate::pipeline {

// The record of one packet's outcome, its context set from the packet's origin; time_ns is the
// packet's clock (meta.now_ns).
[[nodiscard]] log::VerdictRecord make_record(const PacketEvent& event) noexcept;

class RecordSink : public PacketSink {
public:
    void on_packet(const PacketEvent& event) final { write(make_record(event)); }
    virtual void write(const log::VerdictRecord& record) = 0;

protected:
    RecordSink() = default;
};

}  // namespace icmpgate::pipeline
