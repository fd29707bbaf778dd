#pragma once
// The policy's identity in logs: "sha256:" + the lowercase hex SHA-256 of the file's bytes.

#include <string>
#include <string_view>

namespace icmpgate::rules {

[[nodiscard]] std::string policy_digest(std::string_view text);

}  // namespace icmpgate::rules
