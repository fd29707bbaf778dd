#pragma once
#include <cstdint>

namespace icmpgate::decode {

enum class Family : std::uint8_t { ipv4 = 4, ipv6 = 6 };

}  // namespace icmpgate::decode
