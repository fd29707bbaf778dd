#pragma once
// The JSON value type a policy is parsed into. ordered_json keeps members in document order,
// so a document is read (and its diagnostics found) in the order it was written.

#include <nlohmann/json.hpp>

namespace icmpgate::rules {

using PolicyJson = nlohmann::ordered_json;

}  // namespace icmpgate::rules
