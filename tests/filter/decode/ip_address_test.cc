#include "filter/decode/ip_address.h"

#include <arpa/inet.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <random>
#include <string>

namespace icmpgate::decode {
namespace {

IpAddress v6_from_groups(const std::array<std::uint16_t, 8>& groups) {
    IpAddress address;
    address.family = Family::ipv6;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        address.bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
        address.bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xFF);
    }
    return address;
}

IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    IpAddress address;
    address.family = Family::ipv4;
    address.bytes[0] = a;
    address.bytes[1] = b;
    address.bytes[2] = c;
    address.bytes[3] = d;
    return address;
}

std::string formatted(const IpAddress& address) {
    std::array<char, kIpAddressTextMax> text{};
    text.fill('x');
    const std::size_t length = format_ip(address, text);
    BOOST_REQUIRE(length < text.size());
    BOOST_REQUIRE(text[length] == '\0');  // NUL-terminated, as documented
    return {text.data(), length};
}

// The C library's text for the address: format_ip must match it byte for byte (the golden
// logs were written with inet_ntop).
std::string libc_text(const IpAddress& address) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    const int af = address.family == Family::ipv4 ? AF_INET : AF_INET6;
    BOOST_REQUIRE(inet_ntop(af, address.bytes.data(), text.data(), static_cast<socklen_t>(text.size())) != nullptr);
    return text.data();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ip_address_text)

BOOST_AUTO_TEST_CASE(writes_ipv4_in_dotted_decimal) {
    BOOST_TEST(formatted(v4(0, 0, 0, 0)) == "0.0.0.0");
    BOOST_TEST(formatted(v4(255, 255, 255, 255)) == "255.255.255.255");
    BOOST_TEST(formatted(v4(192, 0, 2, 10)) == "192.0.2.10");
    BOOST_TEST(formatted(v4(10, 100, 9, 199)) == "10.100.9.199");
}

BOOST_AUTO_TEST_CASE(writes_ipv6_in_rfc5952_form) {
    // All zeros, loopback, and runs at either end (RFC 5952 4.2).
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0, 0, 0})) == "::");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0, 0, 1})) == "::1");
    BOOST_TEST(formatted(v6_from_groups({1, 0, 0, 0, 0, 0, 0, 0})) == "1::");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 3, 4, 5, 6, 7, 8})) == "::3:4:5:6:7:8");
    BOOST_TEST(formatted(v6_from_groups({1, 2, 3, 4, 5, 6, 0, 0})) == "1:2:3:4:5:6::");
    // One zero group is not compressed (4.2.2); a leading or trailing single zero neither.
    BOOST_TEST(formatted(v6_from_groups({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1})) == "2001:db8:0:1:1:1:1:1");
    BOOST_TEST(formatted(v6_from_groups({0, 2, 3, 4, 5, 6, 7, 8})) == "0:2:3:4:5:6:7:8");
    BOOST_TEST(formatted(v6_from_groups({1, 2, 3, 4, 5, 6, 7, 0})) == "1:2:3:4:5:6:7:0");
    // The longest run wins; of two equal runs the first (4.2.3).
    BOOST_TEST(formatted(v6_from_groups({1, 0, 0, 2, 0, 0, 0, 3})) == "1:0:0:2::3");
    BOOST_TEST(formatted(v6_from_groups({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1})) == "2001:db8::1:0:0:1");
    // Lowercase hex without leading zeros (4.1, 4.3).
    BOOST_TEST(formatted(v6_from_groups({0x2001, 0x0DB8, 0x00AB, 0x000C, 0x0F00, 0xABCD, 0x1000, 0xFFFF})) ==
               "2001:db8:ab:c:f00:abcd:1000:ffff");
    BOOST_TEST(formatted(v6_from_groups({0xfe80, 0, 0, 0, 0x21c, 0x42ff, 0xfe00, 0x1})) == "fe80::21c:42ff:fe00:1");
    BOOST_TEST(formatted(v6_from_groups({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff})) ==
               "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

BOOST_AUTO_TEST_CASE(writes_embedded_ipv4_as_glibc_does) {
    // IPv4-mapped (RFC 4291 2.5.5.2) and IPv4-compatible (2.5.5.1) prefixes end in dotted decimal.
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201})) == "::ffff:192.0.2.1");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0xffff, 0, 0})) == "::ffff:0.0.0.0");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0, 0xc000, 0x0201})) == "::192.0.2.1");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0, 0x0102, 0})) == "::1.2.0.0");
    // Not embedded: a seventh zero group makes the run longer, another sixth group is hex.
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0, 0, 0x0201})) == "::201");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0, 0xfffe, 0xc000, 0x0201})) == "::fffe:c000:201");
    BOOST_TEST(formatted(v6_from_groups({0, 0, 0, 0, 0xffff, 0, 0xc000, 0x0201})) == "::ffff:0:c000:201");
    BOOST_TEST(formatted(v6_from_groups({1, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201})) == "1::ffff:c000:201");
}

BOOST_AUTO_TEST_CASE(matches_inet_ntop_for_every_ipv4_byte_value) {
    for (unsigned value = 0; value <= 0xFF; ++value) {
        const auto b = static_cast<std::uint8_t>(value);
        for (const IpAddress& address : {v4(b, 0, 0, 0), v4(1, b, 0, 9), v4(99, 100, b, 255), v4(10, 0, 0, b)})
            BOOST_TEST(formatted(address) == libc_text(address));
    }
}

// Every pattern of zero and non-zero groups (which decides compression and the embedded
// IPv4 forms), each with non-zero groups of every hex width (and 0x8000, whose only bit is the
// one the zero-group detection checks apart from the other 15) and with 0xffff in the sixth.
BOOST_AUTO_TEST_CASE(matches_inet_ntop_for_every_zero_group_pattern) {
    constexpr std::array<std::uint16_t, 7> kNonZero{0x1, 0xab, 0xf00, 0xffff, 0x1000, 0x10, 0x8000};
    for (unsigned pattern = 0; pattern < 256; ++pattern) {
        for (std::size_t v = 0; v < kNonZero.size(); ++v) {
            std::array<std::uint16_t, 8> groups{};
            for (std::size_t i = 0; i < groups.size(); ++i)
                groups[i] = (pattern >> i & 1U) != 0 ? kNonZero[(v + i) % kNonZero.size()] : 0;
            const IpAddress address = v6_from_groups(groups);
            BOOST_TEST(formatted(address) == libc_text(address));
            groups[5] = 0xffff;
            const IpAddress mapped_like = v6_from_groups(groups);
            BOOST_TEST(formatted(mapped_like) == libc_text(mapped_like));
        }
    }
}

BOOST_AUTO_TEST_CASE(matches_inet_ntop_for_random_addresses) {
    std::mt19937 random{20261125};
    std::uniform_int_distribution<unsigned> group{0, 0xFFFF};
    std::bernoulli_distribution zero{0.5};
    for (int n = 0; n < 100'000; ++n) {
        std::array<std::uint16_t, 8> groups{};
        for (std::uint16_t& g : groups) g = zero(random) ? 0 : static_cast<std::uint16_t>(group(random));
        const IpAddress address = v6_from_groups(groups);
        const std::string ours = formatted(address);
        const std::string libc = libc_text(address);
        if (ours != libc) BOOST_TEST(ours == libc);  // one report per mismatch, not 10^5 passes
    }
}

BOOST_AUTO_TEST_CASE(round_trips_through_parse_ip) {
    for (const char* text : {"::", "::1", "2001:db8::1:0:0:1", "::ffff:192.0.2.1", "fe80::1", "192.0.2.255"}) {
        const std::optional<IpAddress> parsed = parse_ip(text);
        BOOST_REQUIRE(parsed.has_value());
        BOOST_TEST(to_string(*parsed) == text);
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
