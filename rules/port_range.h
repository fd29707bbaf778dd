#pragma once
// Transport ports as the policy writes them: 443, "443" or "1024-65535".

#include <string>
#include <string_view>
#include <variant>

#include "rules/compiled_policy.h"

namespace icmpgate::rules {

inline constexpr unsigned kPortMax = 65535;

// Either the range or a message naming the offending text, e.g.
// "'90-80' is not a port range: 90 is greater than 80".
[[nodiscard]] std::variant<PortRange, std::string> parse_port_range(std::string_view text);

}  // namespace icmpgate::rules
