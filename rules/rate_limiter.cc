#include "rules/rate_limiter.h"

#include <algorithm>
#include <array>
#include <bit>
#include <mutex>

#include "rules/address_key.h"
#include "rules/cidr.h"
#include "rules/token_bucket.h"

namespace icmpgate::rules {

namespace {

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

// The key mask of one family: ones over the first `prefix` bits of the address (all of it
// when the prefix is longer) and zeros over the rest of the address; bytes 4-15, unused by an
// IPv4 address, stay ones as mask_address leaves them. Masking a key's words with it (two ANDs
// per packet) gives what mask_address gives. Built from bits, not by masking an all-ones
// IpAddress: GCC 12.2 at -O2 miscompiled reading mask_address's returned value through
// address_key here (the words came from an unwritten stack slot).
[[nodiscard]] AddressKey key_mask(decode::Family family, std::uint8_t prefix) noexcept {
    constexpr unsigned kWordBits = 64;
    const unsigned address_bits = family == decode::Family::ipv4 ? kIpv4PrefixMax : kIpv6PrefixMax;
    AddressKey mask{~std::uint64_t{0}, ~std::uint64_t{0}};
    for (unsigned bit = std::min<unsigned>(prefix, address_bits); bit < address_bits; ++bit) {
        std::uint64_t& word = bit < kWordBits ? mask.high : mask.low;
        word &= ~(std::uint64_t{1} << (kWordBits - 1 - bit % kWordBits));
    }
    return mask;
}

// A key's hash is splitmix64 over the family, then over each key word; the first step
// depends only on the seed and the family, so it is computed once per limiter.
[[nodiscard]] std::uint64_t family_hash(decode::Family family, std::uint64_t seed) noexcept {
    return mix64(seed + kGoldenGamma * (static_cast<std::uint64_t>(family) + 1));
}

// Per-slot tag: 0 marks a free slot; otherwise bit 0 is set, bit 1 is the family and the
// other six bits come from the hash, so a probe compares key words only when the tag
// matches (about one occupied slot of another key in 64).
constexpr std::uint8_t kFreeTag = 0;
constexpr std::uint8_t kUsedBit = 0x01;
constexpr std::uint8_t kFamilyBit = 0x02;
constexpr std::uint8_t kHashTagBits = 0xFC;
constexpr unsigned kTagShift = 56;

[[nodiscard]] std::uint8_t slot_tag(decode::Family family, std::uint64_t hash) noexcept {
    const auto hash_bits = static_cast<std::uint8_t>((hash >> kTagShift) & kHashTagBits);
    return static_cast<std::uint8_t>(hash_bits | (family == decode::Family::ipv6 ? kFamilyBit : 0U) | kUsedBit);
}

struct Slot {
    AddressKey key;
    std::uint8_t tag{kFreeTag};
    TokenBucket bucket;
};

}  // namespace

struct LimiterState::Impl {
    Impl(const LimiterSpec& spec, std::uint64_t seed)
        : config{spec.rate, spec.burst},
          scope{spec.per},
          hash_seed{seed},
          masks{key_mask(decode::Family::ipv4, spec.prefix_v4), key_mask(decode::Family::ipv6, spec.prefix_v6)},
          family_hashes{family_hash(decode::Family::ipv4, seed), family_hash(decode::Family::ipv6, seed)},
          slots(spec.per == LimiterScope::global ? 1 : std::max<std::size_t>(spec.max_entries, 1),
                Slot{AddressKey{}, kFreeTag, TokenBucket{config}}),
          index_mask{std::has_single_bit(slots.size()) ? slots.size() - 1 : 0} {
        if (scope == LimiterScope::global) {
            slots.front().tag = kUsedBit;
            used = 1;
        }
    }

    // A key as the table stores and finds it.
    struct Probe {
        AddressKey key;
        std::uint64_t hash;
        std::uint8_t tag;

        // The tag first: it rules out most other keys without reading the key words.
        [[nodiscard]] bool found_in(const Slot& slot) const noexcept {
            return slot.tag == tag && slot.key.high == key.high && slot.key.low == key.low;
        }
    };

    // The packet's bucket, refilled to now: found, or inserted by the eviction rule. The
    // common case (the key sits in the first slot of its window) is inline and small; the
    // rest of the probe and the insertion are out of line, so the hit path saves and
    // restores few registers.
    TokenBucket& bucket_for(const decode::DecodedPacket& packet, std::int64_t now_ns) noexcept {
        if (scope == LimiterScope::global) {
            TokenBucket& bucket = slots.front().bucket;
            bucket.refill(config, now_ns);
            return bucket;
        }
        const Probe probe = probe_for(packet);
        Slot& first = slots[window_start(probe.hash)];
        if (probe.found_in(first)) {
            first.bucket.refill(config, now_ns);
            return first.bucket;
        }
        return find_or_insert(probe, now_ns);
    }
    [[nodiscard]] inline Probe probe_for(const decode::DecodedPacket& packet) const noexcept;
    [[gnu::noinline]] TokenBucket& find_or_insert(const Probe& probe, std::int64_t now_ns) noexcept;

    // The first slot of a key's probe window: hash mod size (a mask when size is a power of two).
    [[nodiscard]] std::size_t window_start(std::uint64_t hash) const noexcept {
        if (index_mask != 0) return static_cast<std::size_t>(hash) & index_mask;
        return static_cast<std::size_t>(hash % slots.size());
    }

    TokenBucketConfig config;
    LimiterScope scope;
    std::uint64_t hash_seed;
    std::array<AddressKey, 2> masks;             // by family_index()
    std::array<std::uint64_t, 2> family_hashes;  // by family_index()
    std::vector<Slot> slots;
    std::size_t index_mask;  // size - 1 when the size is a power of two above 1, else 0
    std::size_t used{0};
    std::uint64_t evictions{0};
    std::uint64_t denials{0};
};

inline LimiterState::Impl::Probe LimiterState::Impl::probe_for(const decode::DecodedPacket& packet) const noexcept {
    // The key: the address masked to the limiter's prefix, the family in the tag.
    const decode::IpAddress& address = scope == LimiterScope::source ? packet.src : packet.dst;
    const std::size_t family = family_index(address.family);
    const AddressKey& mask = masks[family];
    const AddressKey words = address_key(address);
    const AddressKey key{words.high & mask.high, words.low & mask.low};
    const std::uint64_t hash = mix64(mix64(family_hashes[family] ^ key.high) ^ key.low);
    return Probe{key, hash, slot_tag(address.family, hash)};
}

TokenBucket& LimiterState::Impl::find_or_insert(const Probe& probe, std::int64_t now_ns) noexcept {
    const AddressKey& key = probe.key;
    const std::uint8_t tag = probe.tag;
    const std::size_t size = slots.size();
    const std::size_t window = std::min(kProbeWindow, size);

    constexpr std::size_t kNone = SIZE_MAX;
    std::size_t free_slot = kNone;
    std::size_t idle_slot = kNone;
    std::size_t oldest_slot = kNone;
    std::size_t at = window_start(probe.hash);
    // The window wraps with a compare, not a division per step.
    for (std::size_t step = 0; step < window; ++step, at = at + 1 == size ? 0 : at + 1) {
        Slot& slot = slots[at];
        // Slots are never freed and a key goes to the first free slot of its window, so a
        // key that is in the table sits before any free slot: the first one ends the search.
        if (slot.tag == kFreeTag) {
            free_slot = at;
            break;
        }
        if (probe.found_in(slot)) {
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
    slot.tag = tag;
    slot.bucket = TokenBucket{config};
    slot.bucket.refill(config, now_ns);
    return slot.bucket;
}

LimiterState::LimiterState(const std::vector<LimiterSpec>& specs, std::uint64_t hash_seed)
    : lock_{std::make_unique<LimiterLock>()} {
    limiters_.reserve(specs.size());
    for (const LimiterSpec& spec : specs) limiters_.emplace_back(spec, hash_seed);
}

std::size_t LimiterState::carry_over(const LimiterState& previous, const std::vector<LimiterSpec>& previous_specs,
                                     const std::vector<LimiterSpec>& specs) {
    const std::scoped_lock lock(*lock_, *previous.lock_);
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
    const std::lock_guard lock(*lock_);
    // One pass: take a token from each listed limiter in turn; when one has none, give back
    // what this packet took, so nothing is taken (a limiter listed twice takes twice, so it
    // needs two tokens). Giving back restores the bucket exactly: it was refilled to now and
    // nothing else ran under the lock since.
    constexpr std::size_t kRememberedBuckets = 8;        // rules list one to three limiters
    std::array<TokenBucket*, kRememberedBuckets> taken;  // NOLINT: written before read, up to i
    for (std::size_t i = 0; i < limiters.size(); ++i) {
        const LimiterIndex index = limiters[i];
        if (index >= limiters_.size()) continue;  // not a limiter of this policy: no limit
        TokenBucket& bucket = limiters_[index].bucket_for(packet, now_ns);
        if (!bucket.has_tokens(1)) {
            ++limiters_[index].denials;
            for (std::size_t j = 0; j < i; ++j) {
                const LimiterIndex earlier = limiters[j];
                if (earlier >= limiters_.size()) continue;
                TokenBucket* back = j < kRememberedBuckets ? taken[j] : &limiters_[earlier].bucket_for(packet, now_ns);
                back->give_back();
            }
            return index;
        }
        bucket.take();
        if (i < kRememberedBuckets) taken[i] = &bucket;
    }
    return std::nullopt;
}

std::size_t LimiterState::limiter_count() const noexcept {
    return limiters_.size();
}

std::size_t LimiterState::entries(LimiterIndex limiter) const noexcept {
    const std::lock_guard lock(*lock_);
    return limiter < limiters_.size() ? limiters_[limiter].used : 0;
}

std::uint64_t LimiterState::evictions(LimiterIndex limiter) const noexcept {
    const std::lock_guard lock(*lock_);
    return limiter < limiters_.size() ? limiters_[limiter].evictions : 0;
}

std::uint64_t LimiterState::denials(LimiterIndex limiter) const noexcept {
    const std::lock_guard lock(*lock_);
    return limiter < limiters_.size() ? limiters_[limiter].denials : 0;
}

std::size_t LimiterState::capacity(LimiterIndex limiter) const noexcept {
    return limiter < limiters_.size() ? limiters_[limiter].slots.size() : 0;
}

}  // namespace icmpgate::rules
