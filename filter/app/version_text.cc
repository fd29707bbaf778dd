#include "filter/app/version_text.h"

#include <openssl/crypto.h>
#include <pcap/pcap.h>

#include <CLI/Version.hpp>
#include <nlohmann/json.hpp>

#include "icmpgate_version.h"

namespace icmpgate::app {

std::string version_text() {
    std::string text = "icmpgate " ICMPGATE_VERSION "\n";
    text += pcap_lib_version();
    text += "\nnlohmann_json " + std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
            std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_PATCH);
    text += "\nCLI11 " CLI11_VERSION "\n";
    text += OpenSSL_version(OPENSSL_VERSION);
    return text;
}

}  // namespace icmpgate::app
