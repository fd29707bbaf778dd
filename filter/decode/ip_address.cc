#include "filter/decode/ip_address.h"

#include <arpa/inet.h>

#include <bit>
#include <cstring>

namespace icmpgate::decode {

namespace {

constexpr std::size_t kGroups = 8;
constexpr std::size_t kByteBits = 8;
constexpr unsigned kNibbleMask = 0xF;
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kFirstEmbeddedV4Group = 6;
constexpr unsigned kMappedV4Marker = 0xFFFF;  // ::ffff:a.b.c.d (RFC 4291 2.5.5.2)

// The decimal text of every byte value, without leading zeros, padded to 4 bytes with the
// text's length last: a byte is written with one 4-byte copy (the padding is overwritten).
constexpr std::size_t kDecimalSlot = 4;
constexpr std::size_t kDecimalLengthAt = 3;
constexpr auto kDecimalBytes = [] {
    constexpr unsigned kTen = 10;
    constexpr unsigned kHundred = 100;
    std::array<std::array<char, kDecimalSlot>, 256> table{};
    for (unsigned value = 0; value < table.size(); ++value) {
        std::size_t length = 0;
        if (value >= kHundred) table[value][length++] = static_cast<char>('0' + value / kHundred);
        if (value >= kTen) table[value][length++] = static_cast<char>('0' + value / kTen % kTen);
        table[value][length++] = static_cast<char>('0' + value % kTen);
        table[value][kDecimalLengthAt] = static_cast<char>(length);
    }
    return table;
}();

// Writes up to 3 bytes past the text's end (at most 18 bytes from `at` in all).
char* put_dotted_quad(char* at, const std::uint8_t* bytes) noexcept {
    for (std::size_t i = 0; i < 4; ++i) {
        const std::array<char, kDecimalSlot>& decimal = kDecimalBytes[bytes[i]];
        std::memcpy(at, decimal.data(), kDecimalSlot);
        at += static_cast<std::size_t>(decimal[kDecimalLengthAt]);
        *at = '.';
        at += i < 3 ? 1 : 0;
    }
    return at;
}

// A 16-bit group in lowercase hex without leading zeros (RFC 5952 4.1, 4.3).
char* put_hex_group(char* at, unsigned group) noexcept {
    constexpr unsigned kThreeDigits = 0x100;
    constexpr unsigned kFourDigits = 0x1000;
    constexpr unsigned kTwoDigits = 0x10;
    if (group >= kFourDigits) *at++ = kHexDigits[group >> (3 * 4)];
    if (group >= kThreeDigits) *at++ = kHexDigits[(group >> (2 * 4)) & kNibbleMask];
    if (group >= kTwoDigits) *at++ = kHexDigits[(group >> 4) & kNibbleMask];
    *at++ = kHexDigits[group & kNibbleMask];
    return at;
}

// RFC 5952 text, byte for byte what glibc's inet_ntop writes: the longest run of two or
// more zero groups becomes "::" (the first such run on a tie, 4.2.2 and 4.2.3), and an
// address whose first 96 bits are an IPv4-compatible (::a.b.c.d, 96 zero bits with a
// non-zero seventh group) or IPv4-mapped (::ffff:a.b.c.d) prefix ends in dotted decimal
// (RFC 4291 2.5.5, RFC 5952 5).
char* put_ipv6(char* at, const std::array<std::uint8_t, 16>& bytes) noexcept {
    std::array<unsigned, kGroups> groups{};
    unsigned zero_groups = 0;  // bit i: group i is zero
    for (std::size_t i = 0; i < kGroups; ++i) {
        groups[i] = (unsigned{bytes[2 * i]} << kByteBits) | unsigned{bytes[2 * i + 1]};
        zero_groups |= (groups[i] == 0 ? 1U : 0U) << i;
    }

    // The longest run of zero groups: after k steps of runs &= runs >> 1, bit i is set iff
    // groups i..i+k are all zero, so the last non-zero value's lowest bit starts the first
    // of the longest runs.
    std::size_t run_start = 0;
    std::size_t run_length = 0;
    for (unsigned runs = zero_groups; runs != 0; runs &= runs >> 1) {
        ++run_length;
        run_start = static_cast<std::size_t>(std::countr_zero(runs));
    }
    if (run_length < 2) {
        for (std::size_t i = 0; i < kGroups; ++i) {
            if (i > 0) *at++ = ':';
            at = put_hex_group(at, groups[i]);
        }
        return at;
    }
    const std::size_t run_end = run_start + run_length;
    const bool embedded_v4 =
        run_start == 0 &&
        (run_length == kFirstEmbeddedV4Group ||
         (run_length == kFirstEmbeddedV4Group - 1 && groups[kFirstEmbeddedV4Group - 1] == kMappedV4Marker));

    for (std::size_t i = 0; i < run_start; ++i) {
        at = put_hex_group(at, groups[i]);
        *at++ = ':';
    }
    if (run_start == 0) *at++ = ':';
    *at++ = ':';
    for (std::size_t i = run_end; i < kGroups; ++i) {
        if (i > run_end) *at++ = ':';
        if (i == kFirstEmbeddedV4Group && embedded_v4) return put_dotted_quad(at, &bytes[2 * i]);
        at = put_hex_group(at, groups[i]);
    }
    return at;
}

}  // namespace

char* put_ip_text(char* out, const IpAddress& address) noexcept {
    // By hand rather than inet_ntop: glibc formats through sprintf, which was most of a
    // verdict line's cost (docs/performance.md). Every text, with the bytes written past
    // its end, fits kIpAddressTextMax.
    return address.family == Family::ipv4 ? put_dotted_quad(out, address.bytes.data()) : put_ipv6(out, address.bytes);
}

std::size_t format_ip(const IpAddress& address, std::array<char, kIpAddressTextMax>& out) noexcept {
    char* const end = put_ip_text(out.data(), address);
    *end = '\0';
    return static_cast<std::size_t>(end - out.data());
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
