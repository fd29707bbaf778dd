#include "filter/log/ip_text.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/support/address.h"

namespace icmpgate::log {
namespace {

std::string text_of(const char* address, Ipv6Text form) {
    std::array<char, decode::kIpAddressTextMax> out{};
    const char* end = put_address_text(out.data(), test::ip(address), form);
    return {out.data(), static_cast<std::size_t>(end - out.data())};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ip_text)

BOOST_AUTO_TEST_CASE(ipv6_is_rfc5952_text_by_default) {
    BOOST_TEST(text_of("2001:db8::1", Ipv6Text::rfc5952) == "2001:db8::1");
}

BOOST_AUTO_TEST_CASE(expanded_ipv6_is_eight_groups_of_four_lowercase_hex_digits) {
    BOOST_TEST(text_of("2001:db8::1", Ipv6Text::expanded) == "2001:0db8:0000:0000:0000:0000:0000:0001");
    BOOST_TEST(text_of("::", Ipv6Text::expanded) == "0000:0000:0000:0000:0000:0000:0000:0000");
    BOOST_TEST(text_of("FE80::ABCD:1", Ipv6Text::expanded) == "fe80:0000:0000:0000:0000:0000:abcd:0001");
    BOOST_TEST(text_of("::ffff:192.0.2.1", Ipv6Text::expanded) == "0000:0000:0000:0000:0000:ffff:c000:0201");
    BOOST_TEST(text_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Ipv6Text::expanded).size() == kIpv6ExpandedLength);
}

BOOST_AUTO_TEST_CASE(ipv4_is_dotted_decimal_in_either_form) {
    BOOST_TEST(text_of("192.0.2.1", Ipv6Text::expanded) == "192.0.2.1");
    BOOST_TEST(text_of("192.0.2.1", Ipv6Text::rfc5952) == "192.0.2.1");
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::log
