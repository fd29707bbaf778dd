#pragma once
#include <cstddef>
#include <cstdint>

namespace icmpgate::decode {

enum class Family : std::uint8_t { ipv4 = 4, ipv6 = 6 };

// 0 for IPv4, 1 for IPv6: the index of per-family tables.
[[nodiscard]] constexpr std::size_t family_index(Family f) noexcept {
    return f == Family::ipv4 ? 0 : 1;
}

}  // namespace icmpgate::decode
