// A spoofed-source flood against a per-source limiter: a million distinct sources cannot
// grow memory past the table allocated for max_entries, fill it exactly, and are counted as
// evictions; a legitimate source sending every 10 ms through the flood keeps its bucket
// (rules/rate_limiter.h "Eviction": only the least recently used slot of a full probe
// window whose bucket is not yet full again is evicted, and this source is never the least
// recently used of its window, since it refreshes its slot far more often than the flood
// fills a window).
#include <unistd.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <vector>

#include "filter/decode/decoded_packet.h"
#include "rules/rate_limiter.h"
#include "rules/token_bucket.h"

namespace {

using icmpgate::decode::DecodedPacket;
using icmpgate::decode::IpAddress;
using icmpgate::rules::LimiterIndex;
using icmpgate::rules::LimiterScope;
using icmpgate::rules::LimiterSpec;
using icmpgate::rules::LimiterState;

constexpr std::size_t kFloodSources = 1'000'000;
constexpr std::uint32_t kMaxEntries = 65536;
constexpr std::int64_t kFloodGapNs = 10'000;         // 100 kpps of spoofed echo requests
constexpr std::size_t kFloodPacketsPerLegit = 1000;  // the legitimate source: one per 10 ms
constexpr double kRatePerSecond = 1.0;               // slow refill: flood entries stay non-idle
constexpr std::uint32_t kBurst = 5;
constexpr std::array<std::uint8_t, 4> kLegitSource{198, 51, 100, 7};
// A slot is an address key, a used flag and a token bucket; padding at most one alignment.
constexpr std::size_t kSlotBytesBound =
    sizeof(IpAddress) + sizeof(icmpgate::rules::TokenBucket) + alignof(std::max_align_t);
// The allocator, the C++ runtime and the test framework touch a little memory of their own.
constexpr std::size_t kRuntimeSlackBytes = 2U << 20U;
constexpr LimiterIndex kLimiter = 0;

LimiterSpec per_source_spec() {
    LimiterSpec spec;
    spec.name = "echo-per-source";
    spec.rate = kRatePerSecond;
    spec.burst = kBurst;
    spec.per = LimiterScope::source;
    spec.prefix_v4 = 32;
    spec.max_entries = kMaxEntries;
    return spec;
}

DecodedPacket echo_from(const std::array<std::uint8_t, 4>& source) {
    DecodedPacket packet;
    packet.is_ip = true;
    packet.is_icmp = true;
    packet.has_icmp_header = true;
    packet.icmp_type = 8;
    packet.src = IpAddress::v4(source);
    packet.dst = IpAddress::v4(std::array<std::uint8_t, 4>{192, 0, 2, 1});
    return packet;
}

// 10.x.y.z for the i-th flood source (distinct for i < 2^24).
std::array<std::uint8_t, 4> flood_source(std::size_t i) {
    return {10, static_cast<std::uint8_t>(i >> 16U), static_cast<std::uint8_t>(i >> 8U), static_cast<std::uint8_t>(i)};
}

std::size_t resident_bytes() {
    std::ifstream statm{"/proc/self/statm"};
    std::size_t size_pages = 0;
    std::size_t resident_pages = 0;
    statm >> size_pages >> resident_pages;
    return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

struct FloodOutcome {
    std::vector<bool> legit_accepted;  // in order, one per legitimate packet
    std::size_t resident_growth{0};
    std::size_t entries{0};
    std::uint64_t evictions{0};
};

FloodOutcome run(bool with_flood) {
    const std::size_t before = resident_bytes();
    FloodOutcome outcome;
    {
        LimiterState state{{per_source_spec()}, 0};
        const std::array<LimiterIndex, 1> limiters{kLimiter};
        const DecodedPacket legit = echo_from(kLegitSource);
        std::int64_t now = 0;
        for (std::size_t i = 0; i < kFloodSources; ++i) {
            now += kFloodGapNs;
            if (with_flood) (void)state.try_take_all(limiters, echo_from(flood_source(i)), now);
            if (i % kFloodPacketsPerLegit == 0)
                outcome.legit_accepted.push_back(!state.try_take_all(limiters, legit, now).has_value());
        }
        outcome.resident_growth = resident_bytes() - before;
        outcome.entries = state.entries(kLimiter);
        outcome.evictions = state.evictions(kLimiter);
    }
    return outcome;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(limiter_flood)

BOOST_AUTO_TEST_CASE(million_spoofed_sources_stay_within_the_table_and_spare_a_steady_source) {
    const FloodOutcome flood = run(true);
    const FloodOutcome alone = run(false);

    BOOST_TEST_MESSAGE("resident growth " << flood.resident_growth << " bytes, bound "
                                          << kMaxEntries * kSlotBytesBound + kRuntimeSlackBytes << ", evictions "
                                          << flood.evictions);
    // Memory: bounded by the table, not by the number of sources.
    BOOST_TEST(flood.resident_growth <= kMaxEntries * kSlotBytesBound + kRuntimeSlackBytes);
    // The table is full, and every new source that found its window busy evicted one.
    BOOST_TEST(flood.entries == std::size_t{kMaxEntries});
    BOOST_TEST(flood.evictions > 0U);
    BOOST_TEST(flood.evictions <= kFloodSources - kMaxEntries);
    // The steady source is judged exactly as without the flood: its drained bucket was
    // never evicted (an eviction would have handed it a full bucket: more accepted).
    BOOST_TEST(alone.entries == 1U);
    BOOST_TEST(alone.evictions == 0U);
    BOOST_TEST(flood.legit_accepted == alone.legit_accepted);
    // 1000 packets over 10 s at 1/s with burst 5: the burst plus one per second refilled.
    std::size_t accepted = 0;
    for (const bool a : alone.legit_accepted) accepted += a ? 1U : 0U;
    BOOST_TEST(accepted == 5U + 9U);
}

BOOST_AUTO_TEST_SUITE_END()
