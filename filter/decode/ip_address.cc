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

// One byte in decimal: one 4-byte copy from the table (the bytes past the text are
// overwritten by what follows, or lie within the caller's kIpAddressTextMax).
char* put_decimal_byte(char* at, std::uint8_t byte) noexcept {
    const std::array<char, kDecimalSlot>& decimal = kDecimalBytes[byte];
    std::memcpy(at, decimal.data(), kDecimalSlot);
    return at + static_cast<std::size_t>(decimal[kDecimalLengthAt]);
}

// Writes up to 3 bytes past the text's end (at most 18 bytes from `at` in all).
char* put_dotted_quad(char* at, const std::uint8_t* bytes) noexcept {
    at = put_decimal_byte(at, bytes[0]);
    *at++ = '.';
    at = put_decimal_byte(at, bytes[1]);
    *at++ = '.';
    at = put_decimal_byte(at, bytes[2]);
    *at++ = '.';
    return put_decimal_byte(at, bytes[3]);
}

// Two lowercase hex digits for each byte value.
constexpr auto kHexPairs = [] {
    std::array<std::array<char, 2>, 256> pairs{};
    for (unsigned value = 0; value < pairs.size(); ++value)
        pairs[value] = {kHexDigits[value >> 4], kHexDigits[value & kNibbleMask]};
    return pairs;
}();

// A 16-bit group, given as its two bytes, in lowercase hex without leading zeros (RFC 5952
// 4.1, 4.3): a digit pair per byte, or a single digit for a high nibble of zero.
char* put_hex_group(char* at, unsigned high, unsigned low) noexcept {
    constexpr unsigned kTwoDigits = 0x10;
    if (high != 0) {
        if (high >= kTwoDigits) {
            std::memcpy(at, kHexPairs[high].data(), 2);
            at += 2;
        } else {
            *at++ = kHexDigits[high];
        }
    } else if (low < kTwoDigits) {
        *at = kHexDigits[low];
        return at + 1;
    }
    std::memcpy(at, kHexPairs[low].data(), 2);
    return at + 2;
}

// Bit k set when 16-bit lane k of `word` (bits 16k..16k+15) is zero. Per lane, the low 15
// bits plus 0x7FFF carry into the top bit unless they are all zero, and never out of the
// lane; or-ing the lane back in covers its own top bit. The multiply then gathers the four
// top bits (15, 31, 47, 63) into bits 60..63 without carries (the partial products below
// bit 60 fall on distinct bits).
constexpr unsigned zero_lanes(std::uint64_t word) noexcept {
    constexpr std::uint64_t kLow15 = 0x7FFF'7FFF'7FFF'7FFFU;
    constexpr std::uint64_t kGather =
        1U + (std::uint64_t{1} << 15U) + (std::uint64_t{1} << 30U) + (std::uint64_t{1} << 45U);
    constexpr unsigned kGatheredAt = 60;
    const std::uint64_t top_if_zero = ~(((word & kLow15) + kLow15) | word) & ~kLow15;
    return static_cast<unsigned>((top_if_zero * kGather) >> kGatheredAt);
}

// Bit i set when group i (bytes 2i and 2i+1) of the address is zero. Each half is read as
// one little-endian word, so group i is lane i % 4.
unsigned zero_groups(const std::array<std::uint8_t, 16>& bytes) noexcept {
    const auto word_at = [&bytes](std::size_t first) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + first, sizeof(word));
        if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
        return word;
    };
    return zero_lanes(word_at(0)) | (zero_lanes(word_at(sizeof(std::uint64_t))) << 4U);
}

// For each set of zero groups (bit i: group i is zero), the first of its longest runs of
// zero groups: the run "::" stands for. After k steps of runs &= runs >> 1, bit i is set iff
// groups i..i+k are all zero, so the last non-zero value's lowest bit starts the first of
// the longest runs (RFC 5952 4.2.3: the first on a tie).
struct ZeroRun {
    std::uint8_t start{0};
    std::uint8_t length{0};
};
constexpr auto kLongestZeroRun = [] {
    std::array<ZeroRun, 256> table{};
    for (unsigned zero_set = 0; zero_set < table.size(); ++zero_set) {
        for (unsigned runs = zero_set; runs != 0; runs &= runs >> 1) {
            ++table[zero_set].length;
            table[zero_set].start = static_cast<std::uint8_t>(std::countr_zero(runs));
        }
    }
    return table;
}();

// RFC 5952 text, byte for byte what glibc's inet_ntop writes: the longest run of two or
// more zero groups becomes "::" (the first such run on a tie, 4.2.2 and 4.2.3), and an
// address whose first 96 bits are an IPv4-compatible (::a.b.c.d, 96 zero bits with a
// non-zero seventh group) or IPv4-mapped (::ffff:a.b.c.d) prefix ends in dotted decimal
// (RFC 4291 2.5.5, RFC 5952 5).
char* put_ipv6(char* at, const std::array<std::uint8_t, 16>& bytes) noexcept {
    const auto put_group = [&bytes](char* out, std::size_t i) {
        return put_hex_group(out, bytes[2 * i], bytes[2 * i + 1]);
    };
    const ZeroRun run = kLongestZeroRun[zero_groups(bytes)];
    if (run.length < 2) {
        at = put_group(at, 0);
        for (std::size_t i = 1; i < kGroups; ++i) {
            *at++ = ':';
            at = put_group(at, i);
        }
        return at;
    }
    const std::size_t run_end = std::size_t{run.start} + run.length;
    constexpr std::size_t kMarkerAt = 2 * (kFirstEmbeddedV4Group - 1);
    const bool mapped_v4 = run.length == kFirstEmbeddedV4Group - 1 &&
                           ((unsigned{bytes[kMarkerAt]} << kByteBits) | bytes[kMarkerAt + 1]) == kMappedV4Marker;
    const bool embedded_v4 = run.start == 0 && (run.length == kFirstEmbeddedV4Group || mapped_v4);

    for (std::size_t i = 0; i < run.start; ++i) {
        at = put_group(at, i);
        *at++ = ':';
    }
    if (run.start == 0) *at++ = ':';
    *at++ = ':';
    for (std::size_t i = run_end; i < kGroups; ++i) {
        if (i > run_end) *at++ = ':';
        if (i == kFirstEmbeddedV4Group && embedded_v4) return put_dotted_quad(at, &bytes[2 * i]);
        at = put_group(at, i);
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
