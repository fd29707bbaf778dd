#include "filter/replay/pcap_replay.h"

#include <pcap/dlt.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "filter/log/log_suppressor.h"
#include "filter/pipeline/eve_log_sink.h"
#include "filter/replay/pcap_source.h"
#include "rules/policy_loader.h"
#include "tests/filter/replay/capture_file.h"
#include "tests/support/packet_builder.h"

namespace {

using icmpgate::replay::PcapSource;
using icmpgate::replay::RecordSink;
using icmpgate::replay::replay_capture;
using icmpgate::test::CapturedFrame;
using icmpgate::test::CaptureFile;
using icmpgate::test::PacketBuilder;
using icmpgate::verdict::Reason;

constexpr std::int64_t kT0 = 1'747'736'100'000'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

struct Seen {
    std::uint64_t frame;
    std::string filename;
    std::int64_t time_ns;
    icmpgate::rules::Verdict verdict;
    Reason reason;
    std::string rule;
    std::string limiter;
    bool has_icmp_header;
    icmpgate::decode::AnomalySet anomalies;
};

class CollectingSink final : public RecordSink {
public:
    void write(const icmpgate::log::VerdictRecord& r) override {
        seen.push_back({r.replay ? r.replay->frame : 0, std::string{r.replay ? r.replay->pcap_filename : ""}, r.time_ns,
                        r.decision.verdict, r.decision.reason, std::string{r.rule_id}, std::string{r.limiter_name},
                        r.packet.has_icmp_header, r.packet.anomalies});
    }
    std::vector<Seen> seen;
};

std::shared_ptr<const icmpgate::rules::CompiledPolicy> policy(const char* text) {
    const auto loaded = icmpgate::rules::load_policy_text(text, "test.json");
    BOOST_REQUIRE_MESSAGE(loaded.ok(), (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string()));
    return loaded.policy;
}

const char* const kEchoLimited = R"({
  "version": 1, "default_verdict": "drop",
  "rate_limits": { "echo": { "rate": 1, "burst": 1 } },
  "rules": [ { "id": "echo", "match": { "type": "echo-request", "source": ["192.0.2.0/24"] },
               "verdict": "accept", "rate_limit": "echo" } ]
})";

std::vector<std::uint8_t> echo(std::uint16_t seq) {
    return PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").echo_request(1, seq).build();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pcap_replay)

BOOST_AUTO_TEST_CASE(numbers_frames_from_one_and_uses_capture_time_as_the_limiter_clock) {
    const auto p = policy(kEchoLimited);
    const auto e = echo(1);
    const CaptureFile file{DLT_RAW,
                           {{kT0, e, static_cast<std::uint32_t>(e.size())},
                            {kT0 + kSecond - 1, e, static_cast<std::uint32_t>(e.size())},
                            {kT0 + kSecond, e, static_cast<std::uint32_t>(e.size())}},
                           CaptureFile::Precision::nano};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE(source.has_value());
    CollectingSink sink;
    const auto outcome = replay_capture(*p, *source, "name.pcap", sink);
    BOOST_TEST(outcome.ok);
    BOOST_REQUIRE(sink.seen.size() == 3U);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(sink.seen[i].frame == i + 1);
        BOOST_TEST(sink.seen[i].filename == "name.pcap");
        BOOST_TEST(sink.seen[i].rule == "echo");
    }
    BOOST_TEST(sink.seen[0].time_ns == kT0);
    BOOST_TEST((sink.seen[0].reason == Reason::rule));
    BOOST_TEST((sink.seen[1].reason == Reason::rate_limit));
    BOOST_TEST(sink.seen[1].limiter == "echo");
    BOOST_TEST((sink.seen[2].reason == Reason::rule));
    BOOST_TEST(outcome.counts.total() == 3U);
    BOOST_TEST(outcome.counts.of(icmpgate::rules::Verdict::accept) == 2U);
    BOOST_TEST(outcome.counts.of(icmpgate::rules::Verdict::drop) == 1U);
    BOOST_TEST(outcome.counts.of(Reason::rate_limit) == 1U);
    BOOST_TEST(outcome.counts.of(Reason::rule) == 2U);
}

BOOST_AUTO_TEST_CASE(a_snaplen_cut_is_not_truncation_and_its_checksum_is_not_judged) {
    const auto p = policy(kEchoLimited);
    auto bytes =
        PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").echo_request(1, 1).payload_zeros(56).bad_checksum().build();
    const auto wire = static_cast<std::uint32_t>(bytes.size());
    bytes.resize(40);  // IP header + ICMP header + 12 bytes of data
    const CaptureFile file{DLT_RAW, {{kT0, bytes, wire}, {kT0, bytes, 40}}, CaptureFile::Precision::nano};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE(source.has_value());
    CollectingSink sink;
    BOOST_TEST(replay_capture(*p, *source, "cut.pcap", sink).ok);
    BOOST_REQUIRE(sink.seen.size() == 2U);
    // Cut by the capture: accepted by the rule.
    BOOST_TEST((sink.seen[0].reason == Reason::rule));
    BOOST_TEST(sink.seen[0].anomalies.none());
    // The same bytes claiming to be the whole packet: the IP header says more.
    BOOST_TEST((sink.seen[1].reason == Reason::anomaly));
    BOOST_TEST(sink.seen[1].anomalies.test(icmpgate::decode::Anomaly::truncated));
}

BOOST_AUTO_TEST_CASE(non_ip_frames_are_accepted_as_not_icmp) {
    const auto p = policy(kEchoLimited);
    std::vector<std::uint8_t> arp(14 + 28, 0);
    arp[12] = 0x08;
    arp[13] = 0x06;
    const CaptureFile file{
        DLT_EN10MB, {{kT0, arp, static_cast<std::uint32_t>(arp.size())}}, CaptureFile::Precision::nano};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE(source.has_value());
    CollectingSink sink;
    BOOST_TEST(replay_capture(*p, *source, "arp.pcap", sink).ok);
    BOOST_REQUIRE(sink.seen.size() == 1U);
    BOOST_TEST((sink.seen[0].verdict == icmpgate::rules::Verdict::accept));
    BOOST_TEST((sink.seen[0].reason == Reason::not_icmp));
}

BOOST_AUTO_TEST_CASE(refuses_an_unsupported_link_type_before_any_frame) {
    const auto p = policy(kEchoLimited);
    const CaptureFile file{DLT_IEEE802_11, {{kT0, {0x08, 0x00}, 2}}, CaptureFile::Precision::nano};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE(source.has_value());
    CollectingSink sink;
    const auto outcome = replay_capture(*p, *source, "wlan.pcap", sink);
    BOOST_TEST(!outcome.ok);
    BOOST_TEST(sink.seen.empty());
    BOOST_TEST(outcome.error ==
               "unsupported link type 105 (IEEE802_11); replay reads Ethernet, Linux cooked (SLL, SLL2), raw IP, "
               "loopback and PPP captures");
}

// A sink that keeps each line the EVE sink writes.
class KeptLines final : public icmpgate::pipeline::LineOutput {
public:
    bool submit(std::string_view line) noexcept override {
        lines.emplace_back(line.substr(0, line.size() - 1));
        return true;
    }
    std::vector<std::string> lines;
};

// Replay counts and suppresses through the daemon's sink: 3 echoes a second for 2 s (the
// limiter lets 1 a second through), 1 line a second per (rule, reason), on the capture's clock.
BOOST_AUTO_TEST_CASE(with_a_log_rate_replay_suppresses_on_capture_time_and_summarises_every_line) {
    const auto p = policy(kEchoLimited);
    std::vector<CapturedFrame> frames;
    for (int second = 0; second < 2; ++second)
        for (std::uint16_t i = 0; i < 3; ++i) {
            const auto e = echo(static_cast<std::uint16_t>(second * 3 + i));
            frames.push_back({kT0 + second * kSecond + i * 1'000'000, e, static_cast<std::uint32_t>(e.size())});
        }
    const CaptureFile file{DLT_RAW, frames, CaptureFile::Precision::nano};
    std::string error;
    auto source = PcapSource::open(file.path(), error);
    BOOST_REQUIRE(source.has_value());
    icmpgate::log::LogSuppressor suppressor{1};
    KeptLines out;
    icmpgate::pipeline::LogSinkCounters log_counts;
    icmpgate::pipeline::EveLogOptions options;
    options.suppressor = &suppressor;
    options.suppression_clock = icmpgate::pipeline::SuppressionClock::from_first_batch;
    icmpgate::pipeline::EveLogSink sink{out, log_counts, options};
    const auto outcome = replay_capture(*p, *source, "flood.pcap", sink);
    BOOST_TEST(outcome.ok);
    BOOST_TEST(outcome.counts.of(Reason::rule) == 2U);
    BOOST_TEST(outcome.counts.of(Reason::rate_limit) == 4U);

    std::vector<std::string> kinds;  // "rule", "rate-limit", "summary rate-limit 1", ...
    for (const std::string& line : out.lines) {
        const auto j = nlohmann::json::parse(line);
        if (j["event_type"] == "alert")
            kinds.push_back(j["icmpgate"]["reason"].get<std::string>() + " frame " +
                            std::to_string(j["pcap_cnt"].get<int>()));
        else
            kinds.push_back("summary " + j["icmpgate"]["reason"].get<std::string>() + " " +
                            std::to_string(j["icmpgate"]["lines_suppressed"].get<int>()));
    }
    // Each second: the rule's line, one rate-limit line, the second rate-limit line suppressed;
    // the first window's summary comes with the next second's first rate-limit line, the last
    // one when the capture ends.
    const std::vector<std::string> expected{"rule frame 1",         "rate-limit frame 2", "rule frame 4",
                                            "summary rate-limit 1", "rate-limit frame 5", "summary rate-limit 1"};
    BOOST_TEST(kinds == expected, boost::test_tools::per_element());
    BOOST_TEST(log_counts.suppressed.get() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
