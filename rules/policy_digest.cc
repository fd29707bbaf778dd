#include "rules/policy_digest.h"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace icmpgate::rules {

std::string policy_digest(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int md_length = 0;
    if (EVP_Digest(text.data(), text.size(), md.data(), &md_length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP_Digest(sha256) failed");
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned int i = 0; i < md_length; ++i) {
        out += kHex[md[i] >> 4U];
        out += kHex[md[i] & 0x0FU];
    }
    return out;
}

}  // namespace icmpgate::rules
