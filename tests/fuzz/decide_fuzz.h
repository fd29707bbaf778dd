#pragma once
// Fuzz body: decode + decide + record formatting with the default policy and one limiter
// state across a sequence of packets whose bytes and arrival gaps come from the input.
// Input: [limiter hash seed u64] then repeated [flags u8][gap u32, microseconds][length u16][bytes].
// decide_generated_fuzz.h runs the same sequence against generated policies.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "filter/decode/decode.h"
#include "filter/log/json_line.h"
#include "filter/log/verdict_record.h"
#include "filter/verdict/engine.h"
#include "rules/rate_limiter.h"
#include "tests/fuzz/decode_fuzz.h"
#include "tests/fuzz/fuzz_support.h"

namespace icmpgate::fuzz {

inline constexpr std::int64_t kNsPerMicrosecond = 1000;
inline constexpr std::uint8_t kFlagChecksumNotReady = 0x01;
inline constexpr std::uint8_t kFlagInterfaces = 0x02;
// The default policy's limiters with their tables cut to this many slots: building a
// 65536-slot table per input would cost more than the packets, and a small table makes
// the fuzzer reach the eviction paths (rules/rate_limiter.h) with few sources.
inline constexpr std::uint32_t kFuzzTableSlots = 64;

inline std::vector<rules::LimiterSpec> small_tables(const std::vector<rules::LimiterSpec>& specs) {
    std::vector<rules::LimiterSpec> small = specs;
    for (rules::LimiterSpec& spec : small) spec.max_entries = std::min(spec.max_entries, kFuzzTableSlots);
    return small;
}

// The default policy with small_tables() limiters, for paths that build their own state (replay).
inline const rules::CompiledPolicy& small_table_default_policy() {
    static const rules::CompiledPolicy policy = [] {
        rules::CompiledPolicy copy = *default_policy();
        copy.limiters = small_tables(copy.limiters);
        return copy;
    }();
    return policy;
}

inline void check_decision(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                           const verdict::Decision& d) {
    using verdict::Reason;
    if (!packet.is_icmp) ICMPGATE_FUZZ_CHECK(d.reason == Reason::not_icmp || d.reason == Reason::anomaly);
    if (d.reason == Reason::not_icmp) ICMPGATE_FUZZ_CHECK(d.verdict == rules::Verdict::accept);
    const bool has_rule = d.reason == Reason::rule || d.reason == Reason::rate_limit;
    ICMPGATE_FUZZ_CHECK(d.rule.has_value() == has_rule);
    if (d.rule) ICMPGATE_FUZZ_CHECK(*d.rule < policy.rules.size());
    ICMPGATE_FUZZ_CHECK(d.limiter.has_value() == (d.reason == Reason::rate_limit));
    if (d.reason == Reason::rate_limit) {
        ICMPGATE_FUZZ_CHECK(d.verdict == rules::Verdict::drop);
        ICMPGATE_FUZZ_CHECK(*d.limiter < policy.limiters.size());
    }
    if (d.reason == Reason::protected_type) ICMPGATE_FUZZ_CHECK(d.verdict == rules::Verdict::accept);
    if (d.reason == Reason::anomaly) {
        ICMPGATE_FUZZ_CHECK(verdict::applicable_anomalies(packet).test(d.anomaly));
        ICMPGATE_FUZZ_CHECK(policy.action_for(d.anomaly) != decode::AnomalyAction::off);
    }
}

// The packet sequence of the input (after any part the caller used) through decide() with POLICY.
inline void decide_packets(const rules::CompiledPolicy& policy_ref, FuzzBytes& input) {
    const rules::CompiledPolicy* const policy = &policy_ref;
    rules::LimiterState limiters{small_tables(policy->limiters), input.u64()};
    std::int64_t now_ns = 0;
    log::JsonLine line;
    while (!input.empty()) {
        const std::uint8_t flags = input.u8();
        now_ns += static_cast<std::int64_t>(input.u32()) * kNsPerMicrosecond;
        const decode::Bytes bytes = input.take(input.u16());
        decode::DecodeOptions options{};
        options.checksum_verifiable = (flags & kFlagChecksumNotReady) == 0;
        const decode::DecodedPacket packet = decode::decode_packet(bytes, options);
        check_decoded(packet, options);
        decode::PacketMeta meta{};
        if ((flags & kFlagInterfaces) != 0) {
            meta.in_interface = decode::InterfaceName::from("eth0");
            meta.out_interface = decode::InterfaceName::from("eth1");
        }
        meta.now_ns = now_ns;
        const verdict::Decision decision = verdict::decide(*policy, packet, meta, limiters);
        check_decision(*policy, packet, decision);
        const log::VerdictRecord record = log::make_verdict_record(packet, decision, meta, *policy);
        ICMPGATE_FUZZ_CHECK(line.format(record));
    }
    for (std::size_t i = 0; i < limiters.limiter_count(); ++i) {
        const auto index = static_cast<rules::LimiterIndex>(i);
        ICMPGATE_FUZZ_CHECK(limiters.entries(index) <= limiters.capacity(index));
    }
}

inline int decide_sequence(const std::uint8_t* data, std::size_t size) {
    FuzzBytes input{data, size};
    decide_packets(*default_policy(), input);
    return 0;
}

}  // namespace icmpgate::fuzz
