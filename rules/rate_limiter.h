#pragma once
// Token-bucket limiters named by a policy: one bucket (per "global") or a bounded table of
// buckets keyed by the source or destination prefix. Time is an input (nanoseconds from
// any monotonic origin: the daemon's clock or the capture's timestamps), so replay is exact.
//
// Keys. A "source" or "destination" limiter keys its buckets by the packet's outer source or
// destination address masked to prefix_v4 / prefix_v6 bits; the family is part of the key, so
// 10.0.0.0/8 and ::a00:0/104 never share a bucket. A "global" limiter has exactly one bucket.
//
// Table. Each keyed limiter owns an open-addressed table of exactly max_entries slots,
// allocated when the LimiterState is built; nothing is allocated per packet. A key lives in
// the probe window of kProbeWindow consecutive slots (wrapping) starting at
// hash(key, hash_seed) mod max_entries (or in all slots when the table is smaller). Each slot
// keeps the masked key as two 64-bit words and a tag byte (family and six hash bits), so a
// probe compares key words only when the tag matches.
//
// Eviction. A key that is not in its window takes, in this order:
//   1. the first free slot of the window;
//   2. else the first slot whose bucket would already be full again at the packet's time:
//      that source is idle, forgetting it loses nothing, and this is not an eviction;
//   3. else the least recently used slot of the window (the bucket whose clock, the latest
//      packet time it saw, is oldest; the first such slot on a tie). This is an eviction:
//      it is counted in evictions(), and the evicted key starts again with a full bucket
//      the next time it is seen.
// A newly inserted key always starts with a full bucket (burst tokens).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "filter/decode/decoded_packet.h"
#include "rules/compiled_policy.h"
#include "rules/limiter_lock.h"

namespace icmpgate::rules {

class LimiterState {
public:
    // Allocates every table now (max_entries slots each); nothing is allocated per packet.
    // hash_seed spreads keys; replay uses 0 so that eviction order is reproducible.
    explicit LimiterState(const std::vector<LimiterSpec>& specs, std::uint64_t hash_seed = 0);

    // Takes one token from every listed limiter when each has one; otherwise takes none
    // and returns the first listed limiter that had none.
    [[nodiscard]] std::optional<LimiterIndex> try_take_all(std::span<const LimiterIndex> limiters,
                                                           const decode::DecodedPacket& packet,
                                                           std::int64_t now_ns) noexcept;

    [[nodiscard]] std::size_t limiter_count() const noexcept;
    // Entries in use in a keyed limiter's table (1 for a global limiter).
    [[nodiscard]] std::size_t entries(LimiterIndex limiter) const noexcept;
    // Entries removed from a full table while their bucket was not yet full again.
    [[nodiscard]] std::uint64_t evictions(LimiterIndex limiter) const noexcept;
    // Packets this limiter refused (try_take_all returned it: decide() drops them, reason
    // rate-limit). Carried over on reload with the buckets, like evictions.
    [[nodiscard]] std::uint64_t denials(LimiterIndex limiter) const noexcept;
    // Slots in a keyed limiter's table (max_entries; 1 for a global limiter).
    [[nodiscard]] std::size_t capacity(LimiterIndex limiter) const noexcept;

    // Probe window of a keyed table: small and fixed, so a lookup costs at most this many compares.
    static constexpr std::size_t kProbeWindow = 8;

    // Policy reload: copies the buckets of every limiter of `previous` whose definition
    // (name and every parameter) is unchanged, so a reload neither refills nor forgets
    // them. Both states must use the same hash_seed. Returns how many were carried over.
    std::size_t carry_over(const LimiterState& previous, const std::vector<LimiterSpec>& previous_specs,
                           const std::vector<LimiterSpec>& specs);

    LimiterState(LimiterState&&) noexcept;
    LimiterState& operator=(LimiterState&&) noexcept;
    ~LimiterState();

private:
    struct Impl;
    std::vector<Impl> limiters_;
    // Queue threads share one state: every public member takes this (uncontended with one
    // queue; a short spin-then-yield lock, limiter_lock.h). Held in a unique_ptr so the state
    // stays movable.
    std::unique_ptr<LimiterLock> lock_;
};

}  // namespace icmpgate::rules
