#pragma once
// Fuzz body: the pcap/pcapng reader and the whole replay path (link layer, decode, decide,
// record) over a capture held in memory, read through fmemopen() so no file is written.
// The default policy's limiter tables are small (decide_fuzz.h): replay builds them per capture.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "filter/log/json_line.h"
#include "filter/replay/pcap_replay.h"
#include "filter/replay/pcap_source.h"
#include "tests/fuzz/decide_fuzz.h"
#include "tests/fuzz/fuzz_support.h"

namespace icmpgate::fuzz {

// Formats every record as the replay command would, checking each line is one JSON line.
class LineCheckingSink final : public replay::RecordSink {
public:
    void write(const log::VerdictRecord& record) override {
        ICMPGATE_FUZZ_CHECK(line_.format(record));
        const std::string_view text = line_.line();
        ICMPGATE_FUZZ_CHECK(text.size() >= 2 && text.front() == '{' && text.back() == '\n');
        ICMPGATE_FUZZ_CHECK(text.find('\n') == text.size() - 1);
        ++records_;
    }
    [[nodiscard]] std::uint64_t records() const noexcept { return records_; }

private:
    log::JsonLine line_;
    std::uint64_t records_{0};
};

inline int pcap_one(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;  // fmemopen() rejects an empty buffer
    // fmemopen() wants a mutable buffer; it only reads from it in mode "rb".
    std::string buffer{reinterpret_cast<const char*>(data), size};
    std::FILE* stream = fmemopen(buffer.data(), buffer.size(), "rb");
    ICMPGATE_FUZZ_CHECK(stream != nullptr);
    std::string error;
    std::optional<replay::PcapSource> source = replay::PcapSource::open_stream(stream, error);
    if (!source) {
        std::fclose(stream);
        ICMPGATE_FUZZ_CHECK(!error.empty());
        return 0;
    }
    LineCheckingSink sink;
    const replay::ReplayOutcome outcome =
        replay::replay_capture(small_table_default_policy(), *source, "fuzz.pcap", sink);
    ICMPGATE_FUZZ_CHECK(outcome.counts.total() == sink.records());
    std::uint64_t by_reason = 0;
    for (const verdict::ReasonInfo& reason : verdict::kReasons) by_reason += outcome.counts.of(reason.reason);
    ICMPGATE_FUZZ_CHECK(by_reason == sink.records());
    ICMPGATE_FUZZ_CHECK(outcome.ok || !outcome.error.empty());
    return 0;
}

}  // namespace icmpgate::fuzz
