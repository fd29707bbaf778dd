#pragma once
// The benchmarks' inputs, built in code: a realistic mixed packet corpus (echo v4/v6, errors
// quoting TCP/UDP/ICMP, IPv6 extension headers, ~10% anomalies) and policies derived from
// deploy/policies/default.json (N generated rules in front of it; larger limiter tables).
// Cold path: may allocate and throw.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/compiled_policy.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::bench {

// One packet of the corpus and what it stands for (for the report only).
struct CorpusPacket {
    test::Packet bytes;
    bool anomalous{false};
};

// `count` packets cycling through kCorpusKinds shapes, sources varying per packet.
[[nodiscard]] std::vector<CorpusPacket> mixed_corpus(std::size_t count);

// The default policy's text (ICMPGATE_SOURCE_DIR/deploy/policies/default.json).
[[nodiscard]] std::string default_policy_text();

// The default policy with `generated_rules` rules in front of its own. The generated rules
// spread over both families, the common types, many source/destination prefixes and
// embedded ports, and match none of the corpus's packets: every packet walks every
// candidate of its type before the default rules decide (the matcher's worst case).
[[nodiscard]] std::shared_ptr<const rules::CompiledPolicy> policy_with_rules(std::size_t generated_rules);

// The default policy with echo-per-source's max_entries set to `max_entries` (room for the
// tracked-keys benchmark's sources).
[[nodiscard]] std::shared_ptr<const rules::CompiledPolicy> policy_with_echo_table(std::uint32_t max_entries);

}  // namespace icmpgate::bench
