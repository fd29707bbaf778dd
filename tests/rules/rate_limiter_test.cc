#include "rules/rate_limiter.h"

#include <array>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/address.h"
#include "tests/support/fake_clock.h"

namespace icmpgate::rules {

namespace {

using test::FakeClock;
using test::kNanosPerSecond;

using icmpgate::test::ip;

decode::DecodedPacket packet(std::string_view src, std::string_view dst) {
    decode::DecodedPacket p;
    p.is_ip = true;
    p.is_icmp = true;
    p.src = ip(src);
    p.dst = ip(dst);
    p.family = p.src.family;
    p.has_icmp_header = true;
    return p;
}

LimiterSpec spec(LimiterScope per, double rate, std::uint32_t burst, std::uint8_t prefix_v4 = 32,
                 std::uint8_t prefix_v6 = 128, std::uint32_t max_entries = 1024) {
    LimiterSpec s;
    s.name = "limit";
    s.rate = rate;
    s.burst = burst;
    s.per = per;
    s.prefix_v4 = prefix_v4;
    s.prefix_v6 = prefix_v6;
    s.max_entries = max_entries;
    return s;
}

// A rate so slow that no bucket refills within a test.
constexpr double kNoRefill = 0.001;

// One token from limiter 0 of `state`: true when it was granted.
bool take(LimiterState& state, const decode::DecodedPacket& p, std::int64_t now) {
    const std::array<LimiterIndex, 1> only{0};
    return !state.try_take_all(only, p, now).has_value();
}

// The denying limiter's index, or -1 when every token was granted (printable, unlike an optional).
constexpr std::int64_t kGranted = -1;
std::int64_t denier(std::optional<LimiterIndex> denied) {
    return denied ? std::int64_t{*denied} : kGranted;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limiter)

BOOST_AUTO_TEST_CASE(global_limiter_shares_one_bucket_across_sources) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 2)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(take(state, packet("203.0.113.9", "198.51.100.1"), clock.now()));
    BOOST_TEST(!take(state, packet("2001:db8::1", "2001:db8::2"), clock.now()));
    BOOST_TEST(state.entries(0) == 1U);
    BOOST_TEST(state.capacity(0) == 1U);
    BOOST_TEST(state.evictions(0) == 0U);
}

BOOST_AUTO_TEST_CASE(global_limiter_counts_one_entry_before_any_packet) {
    const LimiterState state{{spec(LimiterScope::global, 1.0, 1)}};
    BOOST_TEST(state.limiter_count() == 1U);
    BOOST_TEST(state.entries(0) == 1U);
}

BOOST_AUTO_TEST_CASE(per_source_prefix_32_gives_each_host_its_own_bucket) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(take(state, packet("192.0.2.2", "198.51.100.1"), clock.now()));
    BOOST_TEST(!take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(state.entries(0) == 2U);
}

BOOST_AUTO_TEST_CASE(per_source_prefix_24_aggregates_hosts_of_one_slash_24) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 24)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(!take(state, packet("192.0.2.200", "198.51.100.1"), clock.now()));
    BOOST_TEST(take(state, packet("192.0.3.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(state.entries(0) == 2U);
}

BOOST_AUTO_TEST_CASE(per_source_prefix_not_on_a_byte_boundary_masks_bits) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 20)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("10.1.16.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(!take(state, packet("10.1.31.255", "198.51.100.1"), clock.now()));  // same /20
    BOOST_TEST(take(state, packet("10.1.32.0", "198.51.100.1"), clock.now()));     // next /20
}

BOOST_AUTO_TEST_CASE(per_destination_keys_on_destination_not_source) {
    LimiterState state{{spec(LimiterScope::destination, kNoRefill, 1)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(!take(state, packet("192.0.2.2", "198.51.100.1"), clock.now()));
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.2"), clock.now()));
    BOOST_TEST(state.entries(0) == 2U);
}

BOOST_AUTO_TEST_CASE(per_source_v6_prefix_64_aggregates_one_subnet) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 64)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("2001:db8:1:2::1", "2001:db8::99"), clock.now()));
    BOOST_TEST(!take(state, packet("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8::99"), clock.now()));
    BOOST_TEST(take(state, packet("2001:db8:1:3::1", "2001:db8::99"), clock.now()));
    BOOST_TEST(state.entries(0) == 2U);
}

BOOST_AUTO_TEST_CASE(family_is_part_of_the_key_even_at_prefix_zero) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 0, 0)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(!take(state, packet("203.0.113.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(take(state, packet("2001:db8::1", "2001:db8::2"), clock.now()));
    BOOST_TEST(!take(state, packet("fe80::1", "2001:db8::2"), clock.now()));
}

BOOST_AUTO_TEST_CASE(keyed_bucket_refills_by_packet_time) {
    LimiterState state{{spec(LimiterScope::source, 2.0, 1)}};
    FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    BOOST_TEST(take(state, p, clock.now()));
    clock.advance_ns(kNanosPerSecond / 2 - 1);
    BOOST_TEST(!take(state, p, clock.now()));
    clock.advance_ns(1);
    BOOST_TEST(take(state, p, clock.now()));
}

BOOST_AUTO_TEST_CASE(takes_a_token_from_every_limiter_when_all_have_one) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 1), spec(LimiterScope::source, kNoRefill, 1)}};
    const FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 2> both{0, 1};
    BOOST_TEST(!state.try_take_all(both, p, clock.now()).has_value());
    BOOST_TEST(!take(state, p, clock.now()));  // limiter 0 is now empty
    const std::array<LimiterIndex, 1> second{1};
    BOOST_TEST(denier(state.try_take_all(second, p, clock.now())) == 1);
}

BOOST_AUTO_TEST_CASE(denial_consumes_nothing_from_the_other_limiters) {
    // Limiter 0 has two tokens, limiter 1 one. The second packet is denied by limiter 1;
    // limiter 0 must still hold the token it had before that denial.
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 2), spec(LimiterScope::global, kNoRefill, 1)}};
    const FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 2> both{0, 1};
    BOOST_TEST_REQUIRE(!state.try_take_all(both, p, clock.now()).has_value());
    BOOST_TEST(denier(state.try_take_all(both, p, clock.now())) == 1);
    BOOST_TEST(denier(state.try_take_all(both, p, clock.now())) == 1);
    BOOST_TEST(take(state, p, clock.now()));  // limiter 0's second token survived both denials
    BOOST_TEST(!take(state, p, clock.now()));
}

BOOST_AUTO_TEST_CASE(counts_denials_against_the_limiter_that_denied) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 2), spec(LimiterScope::global, kNoRefill, 1)}};
    const FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 2> both{0, 1};
    BOOST_TEST_REQUIRE(!state.try_take_all(both, p, clock.now()).has_value());
    BOOST_TEST(denier(state.try_take_all(both, p, clock.now())) == 1);
    BOOST_TEST(denier(state.try_take_all(both, p, clock.now())) == 1);
    BOOST_TEST(state.denials(0) == 0U);
    BOOST_TEST(state.denials(1) == 2U);
    BOOST_TEST(take(state, p, clock.now()));   // granted: no denial
    BOOST_TEST(!take(state, p, clock.now()));  // limiter 0 empty now
    BOOST_TEST(state.denials(0) == 1U);
    BOOST_TEST(state.denials(1) == 2U);
    BOOST_TEST(state.denials(7) == 0U);  // not a limiter of this state
}

BOOST_AUTO_TEST_CASE(reports_the_first_listed_limiter_without_a_token) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 1), spec(LimiterScope::global, kNoRefill, 1)}};
    const FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 2> both{0, 1};
    const std::array<LimiterIndex, 2> reversed{1, 0};
    BOOST_TEST_REQUIRE(!state.try_take_all(both, p, clock.now()).has_value());
    BOOST_TEST(denier(state.try_take_all(both, p, clock.now())) == 0);
    BOOST_TEST(denier(state.try_take_all(reversed, p, clock.now())) == 1);
}

BOOST_AUTO_TEST_CASE(a_limiter_listed_twice_needs_two_tokens) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 1)}};
    const FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 2> twice{0, 0};
    BOOST_TEST(denier(state.try_take_all(twice, p, clock.now())) == 0);
    BOOST_TEST(take(state, p, clock.now()));  // the denial took nothing
}

// A denial gives back what the earlier listed limiters gave, also past the first eight
// (those are found again by key, not remembered).
BOOST_AUTO_TEST_CASE(a_denial_late_in_a_long_list_gives_every_earlier_token_back) {
    std::vector<LimiterSpec> specs;
    for (int i = 0; i < 8; ++i) specs.push_back(spec(LimiterScope::global, kNoRefill, 1));
    specs.push_back(spec(LimiterScope::source, kNoRefill, 1));       // 8: keyed, listed at position 8
    specs.push_back(spec(LimiterScope::destination, kNoRefill, 1));  // 9: listed at positions 9 and 10
    LimiterState state{specs};
    const FakeClock clock;
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 11> list{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
    BOOST_TEST(denier(state.try_take_all(list, p, clock.now())) == 9);
    for (LimiterIndex i = 0; i < 10; ++i) {
        const std::array<LimiterIndex, 1> one{i};
        BOOST_TEST(!state.try_take_all(one, p, clock.now()).has_value(), "limiter " << i << " kept its token");
        BOOST_TEST(denier(state.try_take_all(one, p, clock.now())) == i);  // and had exactly one
    }
}

BOOST_AUTO_TEST_CASE(empty_list_always_grants) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 1)}};
    BOOST_TEST(!state.try_take_all({}, packet("192.0.2.1", "198.51.100.1"), 0).has_value());
}

BOOST_AUTO_TEST_CASE(unknown_limiter_index_imposes_no_limit) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 1)}};
    const std::array<LimiterIndex, 1> unknown{7};
    const auto p = packet("192.0.2.1", "198.51.100.1");
    BOOST_TEST(!state.try_take_all(unknown, p, 0).has_value());
    BOOST_TEST(!state.try_take_all(unknown, p, 0).has_value());
    BOOST_TEST(state.entries(7) == 0U);
    BOOST_TEST(state.evictions(7) == 0U);
    BOOST_TEST(state.capacity(7) == 0U);
}

BOOST_AUTO_TEST_CASE(entries_counts_distinct_keys_in_use) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 5, 32, 128, 100)}};
    const FakeClock clock;
    BOOST_TEST(state.entries(0) == 0U);
    BOOST_TEST(state.capacity(0) == 100U);
    (void)take(state, packet("192.0.2.1", "198.51.100.1"), clock.now());
    (void)take(state, packet("192.0.2.2", "198.51.100.1"), clock.now());
    (void)take(state, packet("192.0.2.1", "198.51.100.1"), clock.now());
    (void)take(state, packet("2001:db8::1", "2001:db8::2"), clock.now());
    BOOST_TEST(state.entries(0) == 3U);
    BOOST_TEST(state.evictions(0) == 0U);
}

BOOST_AUTO_TEST_CASE(full_table_reuses_an_idle_slot_without_counting_an_eviction) {
    // Two slots (both inside every probe window). At 1 token/s with burst 1, both buckets
    // are full again one second after use: the third source takes an idle slot.
    LimiterState state{{spec(LimiterScope::source, 1.0, 1, 32, 128, 2)}};
    FakeClock clock;
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), clock.now()));
    BOOST_TEST(take(state, packet("192.0.2.2", "198.51.100.1"), clock.now()));
    clock.advance_s(1);
    BOOST_TEST(take(state, packet("192.0.2.3", "198.51.100.1"), clock.now()));
    BOOST_TEST(state.entries(0) == 2U);
    BOOST_TEST(state.evictions(0) == 0U);
    BOOST_TEST(!take(state, packet("192.0.2.3", "198.51.100.1"), clock.now()));
}

BOOST_AUTO_TEST_CASE(full_table_of_busy_entries_evicts_the_least_recently_used) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 128, 2)}};
    FakeClock clock;
    const auto first = packet("192.0.2.1", "198.51.100.1");
    const auto second = packet("192.0.2.2", "198.51.100.1");
    const auto third = packet("192.0.2.3", "198.51.100.1");
    BOOST_TEST(take(state, first, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(take(state, second, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(take(state, third, clock.now()));  // evicts `first`, the oldest
    BOOST_TEST(state.evictions(0) == 1U);
    BOOST_TEST(state.entries(0) == 2U);

    clock.advance_s(1);
    BOOST_TEST(!take(state, second, clock.now()));  // still in the table, still empty
    BOOST_TEST(state.evictions(0) == 1U);
    clock.advance_s(1);
    BOOST_TEST(take(state, first, clock.now()));  // back with a full bucket; evicts `third`
    BOOST_TEST(state.evictions(0) == 2U);
    BOOST_TEST(!take(state, second, clock.now()));  // `second` was used more recently, so it stayed
}

BOOST_AUTO_TEST_CASE(a_denied_packet_still_refreshes_its_entry_for_lru) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 128, 2)}};
    FakeClock clock;
    const auto first = packet("192.0.2.1", "198.51.100.1");
    const auto second = packet("192.0.2.2", "198.51.100.1");
    BOOST_TEST(take(state, first, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(take(state, second, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(!take(state, first, clock.now()));  // `first` is now the most recent
    clock.advance_s(1);
    BOOST_TEST(take(state, packet("192.0.2.3", "198.51.100.1"), clock.now()));  // evicts `second`
    BOOST_TEST(!take(state, first, clock.now()));
    BOOST_TEST(take(state, second, clock.now()));
}

BOOST_AUTO_TEST_CASE(single_slot_table_evicts_the_previous_busy_key) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 128, 1)}};
    const FakeClock clock;
    const auto first = packet("192.0.2.1", "198.51.100.1");
    const auto second = packet("192.0.2.2", "198.51.100.1");
    BOOST_TEST(take(state, first, clock.now()));
    BOOST_TEST(!take(state, first, clock.now()));
    BOOST_TEST(take(state, second, clock.now()));
    BOOST_TEST(state.entries(0) == 1U);
    BOOST_TEST(state.evictions(0) == 1U);
    BOOST_TEST(take(state, first, clock.now()));
    BOOST_TEST(state.evictions(0) == 2U);
}

BOOST_AUTO_TEST_CASE(three_slot_table_wraps_its_window_and_evicts_the_least_recently_used) {
    // Three slots (not a power of two): every window wraps over the whole table.
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 128, 3)}};
    FakeClock clock;
    const auto first = packet("192.0.2.1", "198.51.100.1");
    const auto second = packet("192.0.2.2", "198.51.100.1");
    const auto third = packet("2001:db8::3", "2001:db8::100");
    BOOST_TEST(take(state, first, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(take(state, second, clock.now()));
    clock.advance_s(1);
    BOOST_TEST(take(state, third, clock.now()));
    BOOST_TEST(state.entries(0) == 3U);
    BOOST_TEST(state.evictions(0) == 0U);
    clock.advance_s(1);
    BOOST_TEST(take(state, packet("192.0.2.4", "198.51.100.1"), clock.now()));  // evicts `first`
    BOOST_TEST(state.entries(0) == 3U);
    BOOST_TEST(state.evictions(0) == 1U);
    BOOST_TEST(!take(state, second, clock.now()));
    BOOST_TEST(!take(state, third, clock.now()));
    BOOST_TEST(take(state, first, clock.now()));  // back with a full bucket
    BOOST_TEST(state.evictions(0) == 2U);
}

BOOST_AUTO_TEST_CASE(per_source_v6_prefix_inside_the_low_word_masks_bits) {
    // /100 keeps 36 bits of the second 64-bit half: ...:1000:0000 and ...:1fff:ffff share a
    // bucket, ...:2000:0000 does not.
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 100)}};
    const FakeClock clock;
    BOOST_TEST(take(state, packet("2001:db8::aaaa:1000:0", "2001:db8::1"), clock.now()));
    BOOST_TEST(!take(state, packet("2001:db8::aaaa:1fff:ffff", "2001:db8::1"), clock.now()));
    BOOST_TEST(take(state, packet("2001:db8::aaaa:2000:0", "2001:db8::1"), clock.now()));
    BOOST_TEST(state.entries(0) == 2U);
}

BOOST_AUTO_TEST_CASE(queue_threads_sharing_the_state_never_grant_more_than_the_burst) {
    // Two threads take from one global and one per-source bucket at one instant (no refill):
    // under the state's lock exactly `burst` of the 8000 attempts are granted.
    constexpr std::uint32_t kBurst = 5000;
    constexpr int kAttemptsPerThread = 4000;
    LimiterState state{{spec(LimiterScope::global, kNoRefill, kBurst), spec(LimiterScope::source, kNoRefill, kBurst)}};
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 2> both{0, 1};
    std::atomic<std::uint32_t> granted{0};
    const auto worker = [&] {
        for (int i = 0; i < kAttemptsPerThread; ++i)
            if (!state.try_take_all(both, p, 0).has_value()) granted.fetch_add(1, std::memory_order_relaxed);
    };
    std::thread first{worker};
    std::thread second{worker};
    first.join();
    second.join();
    BOOST_TEST(granted.load() == kBurst);
    BOOST_TEST(state.entries(1) == 1U);
}

BOOST_AUTO_TEST_CASE(zero_max_entries_still_has_one_slot) {
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 128, 0)}};
    BOOST_TEST(state.capacity(0) == 1U);
    BOOST_TEST(take(state, packet("192.0.2.1", "198.51.100.1"), 0));
    BOOST_TEST(state.entries(0) == 1U);
}

BOOST_AUTO_TEST_CASE(large_table_holds_many_keys_within_its_probe_windows) {
    // 1000 sources in a 4096-slot table (a quarter full): every new key either takes a
    // slot or evicts (none is idle at this rate), and at this load all of them find one.
    constexpr std::uint32_t kSlots = 4096;
    constexpr unsigned kSources = 1000;
    LimiterState state{{spec(LimiterScope::source, kNoRefill, 1, 32, 128, kSlots)}, 42};
    for (unsigned i = 0; i < kSources; ++i) {
        decode::DecodedPacket p = packet("10.0.0.0", "198.51.100.1");
        p.src.bytes[2] = static_cast<std::uint8_t>(i >> 8);
        p.src.bytes[3] = static_cast<std::uint8_t>(i & 0xFFU);
        BOOST_TEST_REQUIRE(take(state, p, static_cast<std::int64_t>(i)));
    }
    BOOST_TEST(state.entries(0) + state.evictions(0) == kSources);
    BOOST_TEST(state.entries(0) == kSources);
}

BOOST_AUTO_TEST_CASE(moved_state_keeps_its_buckets) {
    LimiterState state{{spec(LimiterScope::global, kNoRefill, 1)}};
    const auto p = packet("192.0.2.1", "198.51.100.1");
    BOOST_TEST(take(state, p, 0));
    LimiterState moved{std::move(state)};
    BOOST_TEST(!take(moved, p, 0));
}

BOOST_AUTO_TEST_CASE(reload_carries_over_buckets_of_unchanged_limiters_only) {
    LimiterSpec kept = spec(LimiterScope::source, kNoRefill, 1);
    kept.name = "kept";
    LimiterSpec changed = spec(LimiterScope::source, kNoRefill, 1);
    changed.name = "changed";
    LimiterState before{{changed, kept}, 7};
    const auto p = packet("192.0.2.1", "198.51.100.1");
    const std::array<LimiterIndex, 1> first{0};
    const std::array<LimiterIndex, 1> second{1};
    BOOST_TEST(!before.try_take_all(first, p, 0).has_value());  // both buckets now empty
    BOOST_TEST(!before.try_take_all(second, p, 0).has_value());

    LimiterSpec changed_again = changed;
    changed_again.burst = 2;  // a new definition starts full
    const std::vector<LimiterSpec> old_specs{changed, kept};
    const std::vector<LimiterSpec> new_specs{kept, changed_again};  // order may change too
    LimiterState after{new_specs, 7};
    BOOST_TEST(before.try_take_all(second, p, 0).has_value());  // "kept" denies once before the reload
    BOOST_TEST(after.carry_over(before, old_specs, new_specs) == 1U);
    BOOST_TEST(after.denials(0) == 1U);                         // "kept" keeps its count
    BOOST_TEST(after.try_take_all(first, p, 0).has_value());    // "kept": still empty
    BOOST_TEST(!after.try_take_all(second, p, 0).has_value());  // "changed": fresh
    BOOST_TEST(after.denials(0) == 2U);
    BOOST_TEST(after.denials(1) == 0U);
}

BOOST_AUTO_TEST_CASE(reload_with_another_hash_seed_carries_nothing_over) {
    LimiterSpec s = spec(LimiterScope::source, kNoRefill, 1);
    LimiterState before{{s}, 1};
    LimiterState after{{s}, 2};
    BOOST_TEST(after.carry_over(before, {s}, {s}) == 0U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::rules
