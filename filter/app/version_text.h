#pragma once
#include <string>

namespace icmpgate::app {

// GNU --version text: "icmpgate X.Y.Z" (the version after the last space), then one line
// per library whose version shapes behaviour (libpcap, nlohmann_json, CLI11, OpenSSL).
[[nodiscard]] std::string version_text();

}  // namespace icmpgate::app
