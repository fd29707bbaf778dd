#include "rules/candidate_index.h"

#include <algorithm>

namespace icmpgate::rules {

namespace {
constexpr unsigned kBitsPerByte = 8;
constexpr std::size_t kBytesPerWord = 8;
}  // namespace

AddressKey address_key(const decode::IpAddress& address) noexcept {
    // IPv4 leaves bytes 4..15 zero, so both families read the same 16 bytes.
    AddressKey key;
    for (std::size_t i = 0; i < kBytesPerWord; ++i) {
        key.high = (key.high << kBitsPerByte) | address.bytes[i];
        key.low = (key.low << kBitsPerByte) | address.bytes[kBytesPerWord + i];
    }
    return key;
}

std::span<const RuleIndex> AddressPartition::keyed_rules_for(const AddressKey& key) const noexcept {
    // The last interval starting at or below the key; starts[0] is the zero key, so there is one.
    const auto after = std::upper_bound(starts.begin(), starts.end(), key);
    if (after == starts.begin() || offsets.size() != starts.size() + 1) return {};
    const auto interval = static_cast<std::size_t>(after - starts.begin()) - 1;
    const std::uint32_t first = offsets[interval];
    const std::uint32_t last = offsets[interval + 1];
    if (first > last || last > keyed_rules.size()) return {};
    return std::span<const RuleIndex>(keyed_rules).subspan(first, last - first);
}

}  // namespace icmpgate::rules
