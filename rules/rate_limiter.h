#pragma once
// Token-bucket limiters named by a policy: one bucket (per "global") or a bounded table of
// buckets keyed by the source or destination prefix. Time is an input (nanoseconds from
// any monotonic origin: the daemon's clock or the capture's timestamps), so replay is exact.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "filter/decode/decoded_packet.h"
#include "rules/compiled_policy.h"

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

    LimiterState(LimiterState&&) noexcept;
    LimiterState& operator=(LimiterState&&) noexcept;
    ~LimiterState();

private:
    struct Impl;
    std::vector<Impl> limiters_;
};

}  // namespace icmpgate::rules
