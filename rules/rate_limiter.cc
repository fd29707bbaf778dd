#include "rules/rate_limiter.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "rules/cidr.h"
#include "rules/token_bucket.h"

namespace icmpgate::rules {

namespace {

constexpr std::size_t kAddressBytes = std::tuple_size_v<decltype(decode::IpAddress::bytes)>;
constexpr unsigned kBitsPerByte = 8;

// splitmix64's finaliser (Steele, Lea, Flood 2014): a cheap bijective 64-bit mixer whose
// every output bit depends on every input bit.
constexpr std::uint64_t kMixMultiplier1 = 0xBF58476D1CE4E5B9ULL;
constexpr std::uint64_t kMixMultiplier2 = 0x94D049BB133111EBULL;
constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;
constexpr unsigned kMixShift1 = 30;
constexpr unsigned kMixShift2 = 27;
constexpr unsigned kMixShift3 = 31;

[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> kMixShift1;
    x *= kMixMultiplier1;
    x ^= x >> kMixShift2;
    x *= kMixMultiplier2;
    x ^= x >> kMixShift3;
    return x;
}

// A bucket's key: the address masked to the limiter's prefix; its family is part of it.
[[nodiscard]] decode::IpAddress bucket_key(const decode::IpAddress& address, std::uint8_t prefix_v4,
                                           std::uint8_t prefix_v6) noexcept {
    return mask_address(address, address.family == decode::Family::ipv4 ? prefix_v4 : prefix_v6);
}

// Bytes are assembled big-endian by hand so the hash (and so eviction order) is the same
// on every machine.
[[nodiscard]] std::uint64_t hash_key(const decode::IpAddress& key, std::uint64_t seed) noexcept {
    constexpr std::size_t kWordBytes = 8;
    std::uint64_t h = mix64(seed + kGoldenGamma * (static_cast<std::uint64_t>(key.family) + 1));
    for (std::size_t word = 0; word < kAddressBytes / kWordBytes; ++word) {
        std::uint64_t w = 0;
        for (std::size_t i = 0; i < kWordBytes; ++i) w = (w << kBitsPerByte) | key.bytes[word * kWordBytes + i];
        h = mix64(h ^ w);
    }
    return h;
}

struct Slot {
    decode::IpAddress key;
    bool used{false};
    TokenBucket bucket;
};

}  // namespace

struct LimiterState::Impl {
    Impl(const LimiterSpec& spec, std::uint64_t seed)
        : config{spec.rate, spec.burst},
          scope{spec.per},
          prefix_v4{spec.prefix_v4},
          prefix_v6{spec.prefix_v6},
          hash_seed{seed},
          slots(spec.per == LimiterScope::global ? 1 : std::max<std::size_t>(spec.max_entries, 1),
                Slot{decode::IpAddress{}, false, TokenBucket{config}}) {
        if (scope == LimiterScope::global) {
            slots.front().used = true;
            used = 1;
        }
    }

    // The packet's bucket, refilled to now: found, or inserted by the eviction rule.
    TokenBucket& bucket_for(const decode::DecodedPacket& packet, std::int64_t now_ns) noexcept;

    TokenBucketConfig config;
    LimiterScope scope;
    std::uint8_t prefix_v4;
    std::uint8_t prefix_v6;
    std::uint64_t hash_seed;
    std::vector<Slot> slots;
    std::size_t used{0};
    std::uint64_t evictions{0};
    std::uint64_t denials{0};
};

TokenBucket& LimiterState::Impl::bucket_for(const decode::DecodedPacket& packet, std::int64_t now_ns) noexcept {
    if (scope == LimiterScope::global) {
        TokenBucket& bucket = slots.front().bucket;
        bucket.refill(config, now_ns);
        return bucket;
    }
    const decode::IpAddress& address = scope == LimiterScope::source ? packet.src : packet.dst;
    const decode::IpAddress key = bucket_key(address, prefix_v4, prefix_v6);
    const std::size_t size = slots.size();
    const std::size_t window = std::min(kProbeWindow, size);
    const std::size_t start = static_cast<std::size_t>(hash_key(key, hash_seed) % size);

    constexpr std::size_t kNone = SIZE_MAX;
    std::size_t free_slot = kNone;
    std::size_t idle_slot = kNone;
    std::size_t oldest_slot = kNone;
    for (std::size_t step = 0; step < window; ++step) {
        const std::size_t at = (start + step) % size;
        Slot& slot = slots[at];
        if (!slot.used) {
            if (free_slot == kNone) free_slot = at;
            continue;
        }
        if (slot.key == key) {
            slot.bucket.refill(config, now_ns);
            return slot.bucket;
        }
        if (idle_slot == kNone && slot.bucket.full_at(config, now_ns)) idle_slot = at;
        if (oldest_slot == kNone || slot.bucket.clock_ns() < slots[oldest_slot].bucket.clock_ns()) oldest_slot = at;
    }

    std::size_t chosen = free_slot;
    if (chosen != kNone) {
        ++used;
    } else if (idle_slot != kNone) {
        chosen = idle_slot;
    } else {
        chosen = oldest_slot;
        ++evictions;
    }
    Slot& slot = slots[chosen];
    slot.key = key;
    slot.used = true;
    slot.bucket = TokenBucket{config};
    slot.bucket.refill(config, now_ns);
    return slot.bucket;
}

LimiterState::LimiterState(const std::vector<LimiterSpec>& specs, std::uint64_t hash_seed)
    : mutex_{std::make_unique<std::mutex>()} {
    limiters_.reserve(specs.size());
    for (const LimiterSpec& spec : specs) limiters_.emplace_back(spec, hash_seed);
}

std::size_t LimiterState::carry_over(const LimiterState& previous, const std::vector<LimiterSpec>& previous_specs,
                                     const std::vector<LimiterSpec>& specs) {
    const std::scoped_lock lock(*mutex_, *previous.mutex_);
    std::size_t carried = 0;
    for (std::size_t i = 0; i < specs.size() && i < limiters_.size(); ++i) {
        for (std::size_t j = 0; j < previous_specs.size() && j < previous.limiters_.size(); ++j) {
            if (previous_specs[j] == specs[i] && previous.limiters_[j].hash_seed == limiters_[i].hash_seed) {
                limiters_[i] = previous.limiters_[j];
                ++carried;
                break;
            }
        }
    }
    return carried;
}

LimiterState::LimiterState(LimiterState&&) noexcept = default;
LimiterState& LimiterState::operator=(LimiterState&&) noexcept = default;
LimiterState::~LimiterState() = default;

std::optional<LimiterIndex> LimiterState::try_take_all(std::span<const LimiterIndex> limiters,
                                                       const decode::DecodedPacket& packet,
                                                       std::int64_t now_ns) noexcept {
    const std::lock_guard lock(*mutex_);
    // Pass 1's buckets, reused by pass 2 instead of a second lookup (the first few of the
    // rule's limiters: rules list one to three).
    constexpr std::size_t kRememberedBuckets = 8;
    std::array<TokenBucket*, kRememberedBuckets> found{};
    // Pass 1: find or insert every bucket, refill it, and check it has a token for each time
    // its limiter is listed (a limiter listed twice needs two). Nothing is taken yet.
    for (std::size_t i = 0; i < limiters.size(); ++i) {
        const LimiterIndex index = limiters[i];
        if (index >= limiters_.size()) continue;  // not a limiter of this policy: no limit
        const auto earlier = std::count(limiters.begin(), limiters.begin() + static_cast<std::ptrdiff_t>(i), index);
        TokenBucket& bucket = limiters_[index].bucket_for(packet, now_ns);
        if (i < kRememberedBuckets) found[i] = &bucket;
        if (!bucket.has_tokens(static_cast<std::uint64_t>(earlier) + 1)) {
            ++limiters_[index].denials;
            return index;
        }
    }
    // Pass 2: every bucket had its tokens; the buckets are where pass 1 found them (pass 1
    // inserted them and nothing since could evict or move them: each table belongs to one
    // limiter and never grows).
    for (std::size_t i = 0; i < limiters.size(); ++i) {
        const LimiterIndex index = limiters[i];
        if (index >= limiters_.size()) continue;
        TokenBucket* bucket = i < kRememberedBuckets ? found[i] : &limiters_[index].bucket_for(packet, now_ns);
        bucket->take();
    }
    return std::nullopt;
}

std::size_t LimiterState::limiter_count() const noexcept {
    return limiters_.size();
}

std::size_t LimiterState::entries(LimiterIndex limiter) const noexcept {
    const std::lock_guard lock(*mutex_);
    return limiter < limiters_.size() ? limiters_[limiter].used : 0;
}

std::uint64_t LimiterState::evictions(LimiterIndex limiter) const noexcept {
    const std::lock_guard lock(*mutex_);
    return limiter < limiters_.size() ? limiters_[limiter].evictions : 0;
}

std::uint64_t LimiterState::denials(LimiterIndex limiter) const noexcept {
    const std::lock_guard lock(*mutex_);
    return limiter < limiters_.size() ? limiters_[limiter].denials : 0;
}

std::size_t LimiterState::capacity(LimiterIndex limiter) const noexcept {
    return limiter < limiters_.size() ? limiters_[limiter].slots.size() : 0;
}

}  // namespace icmpgate::rules
