#pragma once
// A value type for one IPv4 or IPv6 address. IPv4 addresses sit in the first four bytes
// and the rest stays zero, so equality and hashing need no family-specific code.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "filter/decode/byte_reader.h"
#include "filter/decode/family.h"

namespace icmpgate::decode {

// Longest text form ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255") plus a NUL.
inline constexpr std::size_t kIpAddressTextMax = 46;

struct IpAddress {
    Family family{Family::ipv4};
    std::array<std::uint8_t, 16> bytes{};

    [[nodiscard]] static constexpr IpAddress v4(FixedBytes<4> b) noexcept {
        IpAddress a;
        a.assign_v4(b);
        return a;
    }
    [[nodiscard]] static constexpr IpAddress v6(FixedBytes<16> b) noexcept {
        IpAddress a;
        a.assign_v6(b);
        return a;
    }

    // The decoder writes each address where the packet keeps it, with these, and never builds
    // one elsewhere to copy: a fresh copy reads the 17 bytes with loads wider than the stores
    // that just wrote them, which stalls store-to-load forwarding (docs/performance.md, round 5).
    constexpr void assign_v4(FixedBytes<4> b) noexcept {
        family = Family::ipv4;
        bytes = {b[0], b[1], b[2], b[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }
    constexpr void assign_v6(FixedBytes<16> b) noexcept {
        family = Family::ipv6;
        bytes = {b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
    }

    [[nodiscard]] constexpr std::size_t size() const noexcept { return family == Family::ipv4 ? 4 : 16; }

    // RFC 1122 3.2.2 / RFC 4443 2.4(e.3): multicast, and for IPv4 the limited broadcast.
    [[nodiscard]] constexpr bool is_multicast_or_broadcast() const noexcept {
        if (family == Family::ipv4) {
            const bool multicast = (bytes[0] & 0xF0U) == 0xE0U;
            const bool broadcast = bytes[0] == 0xFF && bytes[1] == 0xFF && bytes[2] == 0xFF && bytes[3] == 0xFF;
            return multicast || broadcast;
        }
        return bytes[0] == 0xFF;
    }

    // RFC 1122 3.2.2 (5), RFC 1812 4.3.2.7, RFC 4443 2.4(e.6): a source that does not name one host.
    [[nodiscard]] constexpr bool is_not_single_host() const noexcept {
        if (family == Family::ipv4) {
            const std::uint8_t first = bytes[0];
            return first == 0 || first == 127 || first >= 224;  // 0/8, loopback, multicast, class E, broadcast
        }
        const auto words = std::bit_cast<std::array<std::uint64_t, 2>>(bytes);
        const bool unspecified = (words[0] | words[1]) == 0;  // ::, checked a word at a time
        return unspecified || bytes[0] == 0xFF;
    }

    // fe80::/10
    [[nodiscard]] constexpr bool is_link_local_v6() const noexcept {
        return family == Family::ipv6 && bytes[0] == 0xFE && (bytes[1] & 0xC0U) == 0x80U;
    }

    // Two word compares instead of a 16-byte memcmp call: the decoder compares a quote's
    // source with the packet's destination on every error message.
    friend constexpr bool operator==(const IpAddress& a, const IpAddress& b) noexcept {
        using Words = std::array<std::uint64_t, 2>;
        static_assert(sizeof(Words) == sizeof(bytes));
        const Words x = std::bit_cast<Words>(a.bytes);
        const Words y = std::bit_cast<Words>(b.bytes);
        return a.family == b.family && x[0] == y[0] && x[1] == y[1];
    }
};

// Writes the RFC 5952 text form into out (NUL-terminated) and returns its length. No allocation.
std::size_t format_ip(const IpAddress& address, std::array<char, kIpAddressTextMax>& out) noexcept;
// The same text without the NUL, written at `out`, which must have room for kIpAddressTextMax
// bytes (writes past the text's end stay within them); returns the text's end.
char* put_ip_text(char* out, const IpAddress& address) noexcept;

// Cold path helpers (policy loading, tests).
[[nodiscard]] std::string to_string(const IpAddress& address);
[[nodiscard]] std::optional<IpAddress> parse_ip(std::string_view text);

}  // namespace icmpgate::decode
