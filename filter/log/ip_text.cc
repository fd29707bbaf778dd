#include "filter/log/ip_text.h"

namespace icmpgate::log {

char* put_ipv6_expanded(char* out, const decode::IpAddress& address) noexcept {
    constexpr const char* kHex = "0123456789abcdef";
    constexpr unsigned kLowNibble = 0x0FU;
    constexpr unsigned kNibbleBits = 4;
    for (std::size_t i = 0; i < address.bytes.size(); ++i) {
        if (i != 0 && i % 2 == 0) *out++ = ':';
        const unsigned byte = address.bytes[i];
        *out++ = kHex[byte >> kNibbleBits];
        *out++ = kHex[byte & kLowNibble];
    }
    return out;
}

}  // namespace icmpgate::log
