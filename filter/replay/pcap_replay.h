#pragma once
// Replay: every frame of a capture through the same decode -> decide path as the daemon,
// with the capture's timestamps as the clock (so rate limiting is reproducible), handing
// one VerdictRecord per frame, in order, to a sink.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "filter/decode/anomaly.h"
#include "filter/log/verdict_record.h"
#include "filter/replay/pcap_source.h"
#include "rules/compiled_policy.h"

namespace icmpgate::replay {

class RecordSink {
public:
    virtual ~RecordSink() = default;
    virtual void write(const log::VerdictRecord& record) = 0;

protected:
    RecordSink() = default;
    RecordSink(const RecordSink&) = default;
    RecordSink& operator=(const RecordSink&) = default;
};

// Frames by verdict and reason (anomalies by name).
struct ReplayCounts {
    std::uint64_t frames{0};
    std::uint64_t accepted{0};
    std::uint64_t dropped{0};
    std::array<std::uint64_t, verdict::kReasonCount> by_reason{};
    std::array<std::uint64_t, decode::kAnomalyCount> by_anomaly{};

    void add(const log::VerdictRecord& record) noexcept;
};

struct ReplayOutcome {
    bool ok{false};
    std::string error;    // why the replay stopped early (unsupported link type, damaged file)
    ReplayCounts counts;  // what was replayed before any error
};

// `pcap_filename` is what the records name as the capture (replay logs the base name).
[[nodiscard]] ReplayOutcome replay_capture(const rules::CompiledPolicy& policy, PcapSource& source,
                                           std::string_view pcap_filename, RecordSink& sink);

}  // namespace icmpgate::replay
