#include "rules/cidr.h"

#include <charconv>

namespace icmpgate::rules {

namespace {
constexpr unsigned kBitsPerByte = 8;
}

decode::IpAddress mask_address(const decode::IpAddress& address, std::uint8_t length) noexcept {
    decode::IpAddress masked = address;
    const std::size_t size = address.size();
    for (std::size_t i = 0; i < size; ++i) {
        const std::size_t first_bit = i * kBitsPerByte;
        if (first_bit >= length) {
            masked.bytes[i] = 0;
        } else if (first_bit + kBitsPerByte > length) {
            const unsigned keep = length - static_cast<unsigned>(first_bit);
            const auto mask = static_cast<std::uint8_t>(0xFFU << (kBitsPerByte - keep));
            masked.bytes[i] = static_cast<std::uint8_t>(masked.bytes[i] & mask);
        }
    }
    return masked;
}

bool prefix_contains(const Prefix& prefix, const decode::IpAddress& address) noexcept {
    if (address.family != prefix.address.family) return false;
    // The prefix's bits past its length are zero: compare its whole bytes, then the leading
    // bits of the next one, without building a masked copy (the matcher's inner loop).
    const std::size_t whole_bytes = prefix.length / kBitsPerByte;
    for (std::size_t i = 0; i < whole_bytes; ++i)
        if (address.bytes[i] != prefix.address.bytes[i]) return false;
    const unsigned rest_bits = prefix.length % kBitsPerByte;
    if (rest_bits == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFFU << (kBitsPerByte - rest_bits));
    return (address.bytes[whole_bytes] & mask) == prefix.address.bytes[whole_bytes];
}

std::string to_string(const Prefix& prefix) {
    return decode::to_string(prefix.address) + "/" + std::to_string(prefix.length);
}

std::variant<Prefix, std::string> parse_cidr(std::string_view text) {
    const std::string quoted = "'" + std::string(text) + "'";
    const std::size_t slash = text.find('/');
    const std::optional<decode::IpAddress> address = decode::parse_ip(text.substr(0, slash));
    if (!address) return quoted + " is not an IP address or prefix";
    const std::uint8_t max_length = address->family == decode::Family::ipv4 ? kIpv4PrefixMax : kIpv6PrefixMax;
    Prefix prefix{*address, max_length};
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        unsigned length = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
            return quoted + " has no valid prefix length after '/'";
        if (length > max_length) return quoted + " has a prefix length out of range 0.." + std::to_string(max_length);
        prefix.length = static_cast<std::uint8_t>(length);
    }
    const decode::IpAddress network = mask_address(prefix.address, prefix.length);
    if (network != prefix.address) {
        return quoted + " has host bits set; did you mean '" + to_string(Prefix{network, prefix.length}) + "'?";
    }
    return prefix;
}

}  // namespace icmpgate::rules
