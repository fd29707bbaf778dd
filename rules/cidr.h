#pragma once
// CIDR prefixes as the policy writes them: "192.0.2.0/24", "2001:db8::/32", or a bare
// address meaning a host prefix (/32, /128). Parsing is cold path; contains() is not.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "filter/decode/ip_address.h"
#include "rules/compiled_policy.h"

namespace icmpgate::rules {

inline constexpr std::uint8_t kIpv4PrefixMax = 32;
inline constexpr std::uint8_t kIpv6PrefixMax = 128;

// Either the prefix or a message naming the offending text, e.g.
// "'192.0.2.1/24' has host bits set; did you mean '192.0.2.0/24'?".
[[nodiscard]] std::variant<Prefix, std::string> parse_cidr(std::string_view text);

// "192.0.2.0/24"
[[nodiscard]] std::string to_string(const Prefix& prefix);

// The address with every bit past `length` cleared.
[[nodiscard]] decode::IpAddress mask_address(const decode::IpAddress& address, std::uint8_t length) noexcept;

[[nodiscard]] bool prefix_contains(const Prefix& prefix, const decode::IpAddress& address) noexcept;

}  // namespace icmpgate::rules
