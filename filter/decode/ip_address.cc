#include "filter/decode/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace icmpgate::decode {

std::size_t format_ip(const IpAddress& address, std::array<char, kIpAddressTextMax>& out) noexcept {
    if (address.family == Family::ipv4) {
        // Dotted decimal by hand: glibc's inet_ntop formats IPv4 through sprintf, which was a
        // fifth of a verdict line's cost (docs/performance.md). 15 characters at most.
        char* at = out.data();
        char* const end = out.data() + out.size();
        for (std::size_t i = 0; i < address.size(); ++i) {
            if (i > 0) *at++ = '.';
            at = std::to_chars(at, end, static_cast<unsigned>(address.bytes[i])).ptr;
        }
        *at = '\0';
        return static_cast<std::size_t>(at - out.data());
    }
    const int af = address.family == Family::ipv4 ? AF_INET : AF_INET6;
    // inet_ntop writes RFC 5952 compressed text for IPv6 on glibc; it never allocates.
    if (inet_ntop(af, address.bytes.data(), out.data(), static_cast<socklen_t>(out.size())) == nullptr) {
        out[0] = '\0';
        return 0;
    }
    return std::strlen(out.data());
}

std::string to_string(const IpAddress& address) {
    std::array<char, kIpAddressTextMax> buf{};
    const std::size_t n = format_ip(address, buf);
    return {buf.data(), n};
}

std::optional<IpAddress> parse_ip(std::string_view text) {
    if (text.size() >= kIpAddressTextMax) return std::nullopt;
    std::array<char, kIpAddressTextMax> buf{};
    std::memcpy(buf.data(), text.data(), text.size());
    IpAddress a;
    if (text.find(':') != std::string_view::npos) {
        a.family = Family::ipv6;
        if (inet_pton(AF_INET6, buf.data(), a.bytes.data()) != 1) return std::nullopt;
    } else {
        a.family = Family::ipv4;
        if (inet_pton(AF_INET, buf.data(), a.bytes.data()) != 1) return std::nullopt;
    }
    return a;
}

}  // namespace icmpgate::decode
