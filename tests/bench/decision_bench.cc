// In-process benchmarks of the packet path (issue 4): decode; decode + decide with the
// default policy; decode + decide + verdict line formatting; formatting alone; scaling with
// policy size (generated rules) and with tracked limiter keys. Every benchmark counts
// operator new calls over its timed loop (tests/support/alloc_counter.h) and the program
// exits 1 when any of them allocated: the zero-allocation claim is measured, not read.
//
// Counters (per benchmark): time_per_packet (seconds of CPU per packet; the console shows
// e.g. "95n" for 95 ns), packets_per_s (one core), allocs_per_packet, accepted (share of
// accept verdicts), tracked_keys (the keyed benchmark's echo-per-source entries).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "filter/decode/decode.h"
#include "filter/decode/icmp_types.h"
#include "filter/log/json_line.h"
#include "filter/log/verdict_record.h"
#include "filter/verdict/engine.h"
#include "rules/policy_loader.h"
#include "rules/rate_limiter.h"
#include "tests/bench/bench_corpus.h"
#include "tests/support/alloc_counter.h"

namespace icmpgate::bench {
namespace {

constexpr std::size_t kCorpusSize = 1000;                         // 50 cycles of the corpus's 20 shapes
constexpr std::int64_t kPacketSpacingNs = 20'000;                 // limiter clock: 50 kpps offered (BlackNurse)
constexpr std::int64_t kWallClockNs = 1'764'000'000'000'000'000;  // a fixed 2025 time for the records
constexpr std::uint32_t kEchoTableSlots = 1U << 21U;              // room for 10^6 keys at load < 0.5
constexpr std::uint64_t kRuleCounts[] = {0, 10, 100, 1000};
constexpr std::uint64_t kKeyCounts[] = {1, 10'000, 1'000'000};

std::uint64_t g_allocating_benchmarks = 0;
// Packets through every timed loop of this process (for instructions per packet under callgrind).
std::uint64_t g_measured_packets = 0;

const std::vector<CorpusPacket>& corpus() {
    static const std::vector<CorpusPacket> packets = mixed_corpus(kCorpusSize);
    return packets;
}

decode::DecodedPacket decode_one(const CorpusPacket& p) noexcept {
    return decode::decode_packet(decode::Bytes{p.bytes.data(), p.bytes.size()}, decode::DecodeOptions{});
}

decode::PacketMeta meta_for(std::size_t i, std::int64_t now_ns) noexcept {
    static const decode::InterfaceName in_client = decode::InterfaceName::from("gw-c");
    static const decode::InterfaceName in_server = decode::InterfaceName::from("gw-r2");
    decode::PacketMeta meta;
    meta.in_interface = i % 2 == 0 ? in_client : in_server;
    meta.out_interface = i % 2 == 0 ? in_server : in_client;
    meta.now_ns = now_ns;
    return meta;
}

void report(benchmark::State& state, std::uint64_t packets_per_iteration, std::uint64_t allocations,
            std::uint64_t accepted) {
    const double packets = static_cast<double>(state.iterations()) * static_cast<double>(packets_per_iteration);
    g_measured_packets += static_cast<std::uint64_t>(state.iterations()) * packets_per_iteration;
    state.counters["time_per_packet"] =
        benchmark::Counter(packets, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["packets_per_s"] = benchmark::Counter(packets, benchmark::Counter::kIsRate);
    state.counters["allocs_per_packet"] = static_cast<double>(allocations) / packets;
    state.counters["accepted"] = static_cast<double>(accepted) / packets;
    if (allocations != 0) {
        ++g_allocating_benchmarks;
        state.SkipWithError("the measured path allocated");
    }
}

void bm_decode(benchmark::State& state) {
    const auto& packets = corpus();
    const std::uint64_t before = test::allocation_count();
    for (auto _ : state) {
        for (const CorpusPacket& p : packets) {
            decode::DecodedPacket d = decode_one(p);
            benchmark::DoNotOptimize(d);
        }
    }
    report(state, packets.size(), test::allocation_count() - before, 0);
}

// decode + decide (+ record + line when `format`), as the queue worker does per packet.
void run_decision_path(benchmark::State& state, const rules::CompiledPolicy& policy, bool format) {
    const auto& packets = corpus();
    rules::LimiterState limiters{policy.limiters, 0};
    log::JsonLine line;
    std::int64_t now = 0;
    std::uint64_t accepted = 0;
    std::uint32_t packet_id = 0;
    const std::uint64_t before = test::allocation_count();
    for (auto _ : state) {
        for (std::size_t i = 0; i < packets.size(); ++i) {
            const decode::DecodedPacket d = decode_one(packets[i]);
            now += kPacketSpacingNs;
            const decode::PacketMeta meta = meta_for(i, now);
            const verdict::Decision decision = verdict::decide(policy, d, meta, limiters);
            accepted += decision.verdict == rules::Verdict::accept ? 1U : 0U;
            if (format) {
                log::VerdictRecord record = log::make_verdict_record(d, decision, meta, policy);
                record.time_ns = kWallClockNs + now;
                record.queue = log::QueueContext{0, ++packet_id};
                benchmark::DoNotOptimize(line.format(record));
                benchmark::DoNotOptimize(line.size());
            } else {
                benchmark::DoNotOptimize(decision);
            }
        }
    }
    report(state, packets.size(), test::allocation_count() - before, accepted);
}

void bm_decide(benchmark::State& state, std::shared_ptr<const rules::CompiledPolicy> policy) {
    run_decision_path(state, *policy, false);
}

void bm_decide_format(benchmark::State& state, std::shared_ptr<const rules::CompiledPolicy> policy) {
    run_decision_path(state, *policy, true);
}

// Record building + line formatting only, over the decisions the default policy gives.
void bm_format(benchmark::State& state, std::shared_ptr<const rules::CompiledPolicy> policy) {
    struct Input {
        decode::DecodedPacket packet;
        verdict::Decision decision;
        decode::PacketMeta meta;
    };
    std::vector<Input> inputs;
    rules::LimiterState limiters{policy->limiters, 0};
    std::int64_t now = 0;
    for (std::size_t i = 0; i < corpus().size(); ++i) {
        Input in{decode_one(corpus()[i]), {}, meta_for(i, now += kPacketSpacingNs)};
        in.decision = verdict::decide(*policy, in.packet, in.meta, limiters);
        inputs.push_back(in);
    }
    log::JsonLine line;
    std::uint32_t packet_id = 0;
    const std::uint64_t before = test::allocation_count();
    for (auto _ : state) {
        for (const Input& in : inputs) {
            log::VerdictRecord record = log::make_verdict_record(in.packet, in.decision, in.meta, *policy);
            record.time_ns = kWallClockNs + in.meta.now_ns;
            record.queue = log::QueueContext{0, ++packet_id};
            benchmark::DoNotOptimize(line.format(record));
            benchmark::DoNotOptimize(line.size());
        }
    }
    report(state, inputs.size(), test::allocation_count() - before, 0);
}

// The source address of the k-th spoofed key: 10.0.0.0/8 for IPv4, 2001:db8:ff00::/40 /64s for IPv6.
void set_key(decode::IpAddress& address, std::uint64_t k) noexcept {
    constexpr unsigned kByte = 8;
    if (address.family == decode::Family::ipv4) {
        address.bytes[0] = 10;
        address.bytes[1] = static_cast<std::uint8_t>(k >> (2 * kByte));
        address.bytes[2] = static_cast<std::uint8_t>(k >> kByte);
        address.bytes[3] = static_cast<std::uint8_t>(k);
    } else {
        address.bytes[5] = static_cast<std::uint8_t>(0xff);
        address.bytes[6] = static_cast<std::uint8_t>(k >> (2 * kByte));
        address.bytes[7] = static_cast<std::uint8_t>(k >> kByte);
        address.bytes[8] = static_cast<std::uint8_t>(k);
    }
}

bool is_echo_request(const decode::DecodedPacket& d) noexcept {
    return d.has_icmp_header && ((d.icmp_type == decode::icmp4::kEchoRequest && d.src.family == decode::Family::ipv4) ||
                                 (d.icmp_type == decode::icmp6::kEchoRequest && d.src.family == decode::Family::ipv6));
}

// Tracked keys: echo requests come from `keys` distinct spoofed sources (cycled), so
// echo-per-source holds that many entries; the state is filled once, before timing.
struct KeyedState {
    std::shared_ptr<const rules::CompiledPolicy> policy;
    std::unique_ptr<rules::LimiterState> limiters;
    std::int64_t now{0};
    std::uint64_t next_key{0};
};

KeyedState& keyed_state(std::uint64_t keys) {
    static std::map<std::uint64_t, KeyedState> states;
    auto [it, inserted] = states.try_emplace(keys);
    KeyedState& s = it->second;
    if (inserted) {
        s.policy = policy_with_echo_table(kEchoTableSlots);
        s.limiters = std::make_unique<rules::LimiterState>(s.policy->limiters, 0);
        const decode::DecodedPacket echo = decode_one(corpus()[0]);
        for (std::uint64_t k = 0; k < keys; ++k) {
            decode::DecodedPacket d = echo;
            set_key(d.src, k);
            s.now += kPacketSpacingNs;
            benchmark::DoNotOptimize(verdict::decide(*s.policy, d, meta_for(0, s.now), *s.limiters));
        }
    }
    return s;
}

void bm_limiter_keys(benchmark::State& state) {
    const auto keys = static_cast<std::uint64_t>(state.range(0));
    KeyedState& s = keyed_state(keys);
    const auto& packets = corpus();
    std::uint64_t accepted = 0;
    const std::uint64_t before = test::allocation_count();
    for (auto _ : state) {
        for (std::size_t i = 0; i < packets.size(); ++i) {
            decode::DecodedPacket d = decode_one(packets[i]);
            if (is_echo_request(d)) {
                set_key(d.src, s.next_key);
                s.next_key = (s.next_key + 1) % keys;
            }
            s.now += kPacketSpacingNs;
            const verdict::Decision decision = verdict::decide(*s.policy, d, meta_for(i, s.now), *s.limiters);
            accepted += decision.verdict == rules::Verdict::accept ? 1U : 0U;
            benchmark::DoNotOptimize(decision);
        }
    }
    report(state, packets.size(), test::allocation_count() - before, accepted);
    for (std::size_t i = 0; i < s.policy->limiters.size(); ++i)
        if (s.policy->limiters[i].name == "echo-per-source")
            state.counters["tracked_keys"] =
                static_cast<double>(s.limiters->entries(static_cast<rules::LimiterIndex>(i)));
}

}  // namespace
}  // namespace icmpgate::bench

int main(int argc, char** argv) {
    using namespace icmpgate::bench;
    std::size_t anomalous = 0;
    for (const CorpusPacket& p : corpus()) anomalous += p.anomalous ? 1U : 0U;
    std::printf("corpus: %zu packets, %zu anomalous\n", corpus().size(), anomalous);

    const auto default_policy = policy_with_rules(0);
    benchmark::RegisterBenchmark("decode", bm_decode);
    benchmark::RegisterBenchmark("decode_decide/default", bm_decide, default_policy);
    benchmark::RegisterBenchmark("decode_decide_format/default", bm_decide_format, default_policy);
    benchmark::RegisterBenchmark("format/default", bm_format, default_policy);
    for (std::uint64_t n : kRuleCounts) {
        if (n == 0) continue;
        benchmark::RegisterBenchmark(("decode_decide/rules:" + std::to_string(n)).c_str(), bm_decide,
                                     policy_with_rules(n));
    }
    for (std::uint64_t k : kKeyCounts)
        benchmark::RegisterBenchmark("decode_decide/keys", bm_limiter_keys)->Arg(static_cast<std::int64_t>(k));

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (g_allocating_benchmarks != 0) {
        std::fprintf(stderr, "FAIL: %llu benchmark(s) allocated on the measured path\n",
                     static_cast<unsigned long long>(g_allocating_benchmarks));
        return 1;
    }
    std::printf("allocations on every measured path: 0\nmeasured packets: %llu\n",
                static_cast<unsigned long long>(g_measured_packets));
    return 0;
}
