// Memory under a spoofed-source flood (issue 4, item 4): the default policy's keyed limiters
// hold at most max_entries keys each, allocated when the state is built, so resident size
// after 10^6 distinct sources (echo requests by source, port unreachables by source, echo
// replies by destination) stays within sum(max_entries) x slot size of the start.
//
//   limiter_memory [SOURCES]    (default 1000000); exits 1 when a bound is exceeded.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "filter/decode/decode.h"
#include "filter/verdict/engine.h"
#include "rules/rate_limiter.h"
#include "tests/bench/bench_corpus.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::bench {
namespace {

constexpr std::uint64_t kDefaultSources = 1'000'000;
constexpr std::int64_t kPacketSpacingNs = 1'000;  // 1 Mpps: no bucket refills between a key's packets
// Upper bound of one table slot (key 17 bytes, flag, token bucket units + clock), rounded up.
constexpr std::size_t kSlotBytesMax = 64;
// Resident growth allowed besides the tables (allocator bookkeeping, page rounding, stack).
constexpr std::size_t kFloodSlackBytes = 2U << 20U;
constexpr std::size_t kMiB = 1U << 20U;

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size_pages = 0;
    std::size_t resident_pages = 0;
    statm >> size_pages >> resident_pages;
    return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

void spoof_v4(decode::IpAddress& a, std::uint64_t k) {
    a.bytes[0] = 10;
    a.bytes[1] = static_cast<std::uint8_t>(k >> 16U);
    a.bytes[2] = static_cast<std::uint8_t>(k >> 8U);
    a.bytes[3] = static_cast<std::uint8_t>(k);
}

decode::DecodedPacket decoded(const test::Packet& bytes) {
    return decode::decode_packet(decode::Bytes{bytes.data(), bytes.size()}, decode::DecodeOptions{});
}

}  // namespace
}  // namespace icmpgate::bench

int main(int argc, char** argv) {
    using namespace icmpgate;
    using namespace icmpgate::bench;
    const std::uint64_t sources = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : kDefaultSources;

    const auto policy = policy_with_rules(0);
    const decode::DecodedPacket echo =
        decoded(test::PacketBuilder::ipv4("192.0.2.10", "203.0.113.34").echo_request(1, 1).payload_zeros(56).build());
    const decode::DecodedPacket reply =
        decoded(test::PacketBuilder::ipv4("203.0.113.34", "192.0.2.10").echo_reply(1, 1).payload_zeros(56).build());
    const decode::DecodedPacket unreachable =
        decoded(test::PacketBuilder::ipv4("203.0.113.2", "192.0.2.10")
                    .port_unreachable()
                    .quote(test::PacketBuilder::ipv4("192.0.2.10", "203.0.113.34").udp(40000, 53, 8))
                    .build());

    const std::size_t before_state = resident_bytes();
    rules::LimiterState limiters{policy->limiters, 0};
    const std::size_t after_state = resident_bytes();

    std::size_t keyed_slots = 0;
    for (std::size_t i = 0; i < policy->limiters.size(); ++i)
        if (policy->limiters[i].per != rules::LimiterScope::global) keyed_slots += policy->limiters[i].max_entries;

    std::int64_t now = 0;
    std::uint64_t accepted = 0;
    for (std::uint64_t k = 0; k < sources; ++k) {
        decode::DecodedPacket e = echo;
        spoof_v4(e.src, k);
        decode::DecodedPacket r = reply;
        spoof_v4(r.dst, k);
        decode::DecodedPacket u = unreachable;
        spoof_v4(u.src, k);
        for (const decode::DecodedPacket* p : {&e, &r, &u}) {
            decode::PacketMeta meta;
            meta.now_ns = now += kPacketSpacingNs;
            accepted += verdict::decide(*policy, *p, meta, limiters).verdict == rules::Verdict::accept ? 1U : 0U;
        }
    }
    const std::size_t after_flood = resident_bytes();

    std::uint64_t evictions = 0;
    std::size_t entries = 0;
    for (std::size_t i = 0; i < policy->limiters.size(); ++i) {
        const auto index = static_cast<rules::LimiterIndex>(i);
        std::printf("limiter %-28s entries %8zu / %8zu, evictions %llu\n", policy->limiters[i].name.c_str(),
                    limiters.entries(index), limiters.capacity(index),
                    static_cast<unsigned long long>(limiters.evictions(index)));
        if (policy->limiters[i].per != rules::LimiterScope::global) entries += limiters.entries(index);
        evictions += limiters.evictions(index);
    }
    const std::size_t bound = keyed_slots * kSlotBytesMax;
    const std::size_t tables = after_state - before_state;
    const std::size_t growth = after_flood > after_state ? after_flood - after_state : 0;
    std::printf(
        "sources flooded: %llu (x3 packets: echo by source, reply by destination, unreachable by source), "
        "accepted %llu\n",
        static_cast<unsigned long long>(sources), static_cast<unsigned long long>(accepted));
    std::printf(
        "resident: before state %.1f MiB, after building the limiter state %.1f MiB, after the flood %.1f MiB\n",
        static_cast<double>(before_state) / kMiB, static_cast<double>(after_state) / kMiB,
        static_cast<double>(after_flood) / kMiB);
    std::printf(
        "tables: %.1f MiB for %zu keyed slots (%.1f bytes/slot); bound %zu slots x %zu bytes = %.1f MiB (+2 MiB "
        "slack)\n",
        static_cast<double>(tables) / kMiB, keyed_slots, static_cast<double>(tables) / static_cast<double>(keyed_slots),
        keyed_slots, kSlotBytesMax, static_cast<double>(bound) / kMiB);
    std::printf("growth during the flood: %.2f MiB (allowed %.1f MiB); keyed entries in use %zu, evictions %llu\n",
                static_cast<double>(growth) / kMiB, static_cast<double>(kFloodSlackBytes) / kMiB, entries,
                static_cast<unsigned long long>(evictions));
    const bool ok = tables <= bound + kFloodSlackBytes && growth <= kFloodSlackBytes && entries <= keyed_slots &&
                    after_flood - before_state <= bound + kFloodSlackBytes;
    std::printf("%s: resident size within the bound implied by max_entries\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
