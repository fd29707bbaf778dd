#pragma once
// JSON Pointers (RFC 6901), as diagnostics name the value at fault: "/rules/3/match/type".

#include <cstddef>
#include <string>
#include <string_view>

namespace icmpgate::rules {

// The pointer of a member (its name escaped: '~' as "~0", '/' as "~1") or an element below `parent`.
[[nodiscard]] std::string pointer_child(const std::string& parent, std::string_view key);
[[nodiscard]] std::string pointer_child(const std::string& parent, std::size_t index);

}  // namespace icmpgate::rules
