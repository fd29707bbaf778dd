#pragma once
// Shared by the pipeline's tests and the queue worker's: a small policy, packets that each take a
// different path through decide(), a LineOutput that keeps its lines, and a sink that records
// what it was called with.

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

#include "filter/pipeline/active_policy.h"
#include "filter/pipeline/line_output.h"
#include "filter/pipeline/packet_sink.h"
#include "rules/policy_loader.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::pipeline::test {

// Echo requests from 192.0.2.0/24 accepted (at most 2 a second from the rule's limiter), echo
// requests from 203.0.113.0/24 dropped by a rule that does not log; everything else the default
// (drop), Frag Needed protected.
inline const char* const kPolicy = R"({
  "version": 1, "default_verdict": "drop",
  "rate_limits": { "echo": { "rate": 2, "burst": 2 } },
  "rules": [
    { "id": "echo-in", "match": { "type": "echo-request", "source": ["192.0.2.0/24"] },
      "verdict": "accept", "rate_limit": "echo" },
    { "id": "quiet-drop", "match": { "type": "echo-request", "source": ["203.0.113.0/24"] },
      "verdict": "drop", "log": false }
  ]
})";

inline std::shared_ptr<const rules::CompiledPolicy> compiled_policy(const char* text = kPolicy) {
    const rules::LoadResult loaded = rules::load_policy_text(text, "pipeline-test.json");
    BOOST_REQUIRE_MESSAGE(loaded.ok(), (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string()));
    return loaded.policy;
}

inline std::vector<std::uint8_t> echo_from(const char* source, std::uint16_t seq = 1) {
    return icmpgate::test::PacketBuilder::ipv4(source, "198.51.100.1").echo_request(7, seq).build();
}
inline std::vector<std::uint8_t> echo6(std::uint16_t seq = 1) {
    return icmpgate::test::PacketBuilder::ipv6("2001:db8::1", "2001:db8::2").echo_request(7, seq).build();
}
inline std::vector<std::uint8_t> bad_checksum_echo() {
    return icmpgate::test::PacketBuilder::ipv4("192.0.2.9", "198.51.100.1").echo_request(7, 1).bad_checksum().build();
}
inline std::vector<std::uint8_t> tcp_segment() {
    return icmpgate::test::PacketBuilder::ipv4("192.0.2.1", "198.51.100.1").tcp(40000, 443).build();
}
inline std::vector<std::uint8_t> frag_needed() {
    const auto quoted =
        icmpgate::test::PacketBuilder::ipv4("198.51.100.1", "192.0.2.77").df().tcp(443, 40000).total_length(1500);
    return icmpgate::test::PacketBuilder::ipv4("203.0.113.5", "198.51.100.1")
        .frag_needed(1400)
        .quote(quoted, 28)
        .build();
}

// Keeps every line (without its newline; `one_newline_each` says whether each came with exactly
// one, at its end); refuses lines while `refuse` is set; counts end_batch() calls.
class KeptLines final : public LineOutput {
public:
    bool submit(std::string_view line) noexcept override {
        if (refuse) return false;
        one_newline_each = one_newline_each && line.find('\n') == line.size() - 1;
        line.remove_suffix(1);
        lines.emplace_back(line);
        return true;
    }
    void end_batch() noexcept override { ++batches_ended; }

    std::vector<std::string> lines;
    bool refuse{false};
    bool one_newline_each{true};
    int batches_ended{0};
};

// Records the calls it receives, one word each ("begin 5", "packet rule", "end", "finish").
class CallRecorder final : public PacketSink {
public:
    void begin_batch(std::int64_t now_ns, const rules::CompiledPolicy&) override {
        calls.push_back("begin " + std::to_string(now_ns));
    }
    void on_packet(const PacketEvent& event) override {
        calls.push_back("packet " + std::string{verdict::reason_name(event.decision.reason)});
    }
    void end_batch() override { calls.emplace_back("end"); }
    void finish(const rules::CompiledPolicy&) override { calls.emplace_back("finish"); }

    std::vector<std::string> calls;
};

}  // namespace icmpgate::pipeline::test
