#include "rules/cidr.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <string>
#include <variant>

namespace icmpgate::rules {
namespace {

std::string parsed(std::string_view text) {
    const auto result = parse_cidr(text);
    if (const auto* message = std::get_if<std::string>(&result)) return "error: " + *message;
    return to_string(std::get<Prefix>(result));
}

const char* const kValid[][2] = {
    {"192.0.2.0/24", "192.0.2.0/24"},
    {"198.51.100.7", "198.51.100.7/32"},
    {"0.0.0.0/0", "0.0.0.0/0"},
    {"2001:db8::/32", "2001:db8::/32"},
    {"::1", "::1/128"},
    {"fe80::/10", "fe80::/10"},
    {"::/0", "::/0"},
};

BOOST_AUTO_TEST_SUITE(cidr)

BOOST_DATA_TEST_CASE(valid_prefix_parses_to_its_canonical_text, boost::unit_test::data::xrange(std::size(kValid)), i) {
    BOOST_TEST(parsed(kValid[i][0]) == kValid[i][1]);
}

BOOST_AUTO_TEST_CASE(host_bits_are_an_error_suggesting_the_network) {
    BOOST_TEST(parsed("192.0.2.1/24") == "error: '192.0.2.1/24' has host bits set; did you mean '192.0.2.0/24'?");
    BOOST_TEST(parsed("2001:db8::1/64") == "error: '2001:db8::1/64' has host bits set; did you mean '2001:db8::/64'?");
    BOOST_TEST(parsed("fe80::1/10") == "error: 'fe80::1/10' has host bits set; did you mean 'fe80::/10'?");
    BOOST_TEST(parsed("10.1.2.3/7") == "error: '10.1.2.3/7' has host bits set; did you mean '10.0.0.0/7'?");
}

BOOST_AUTO_TEST_CASE(malformed_text_is_an_error) {
    BOOST_TEST(parsed("192.0.2.0/") == "error: '192.0.2.0/' has no valid prefix length after '/'");
    BOOST_TEST(parsed("192.0.2.0/x") == "error: '192.0.2.0/x' has no valid prefix length after '/'");
    BOOST_TEST(parsed("192.0.2.0/33") == "error: '192.0.2.0/33' has a prefix length out of range 0..32");
    BOOST_TEST(parsed("192.0.2") == "error: '192.0.2' is not an IP address or prefix");
    BOOST_TEST(parsed("") == "error: '' is not an IP address or prefix");
}

BOOST_AUTO_TEST_CASE(prefix_contains_addresses_of_its_family_only) {
    const Prefix p = std::get<Prefix>(parse_cidr("10.0.0.0/8"));
    BOOST_TEST(prefix_contains(p, *decode::parse_ip("10.200.3.4")));
    BOOST_TEST(!prefix_contains(p, *decode::parse_ip("11.0.0.1")));
    BOOST_TEST(!prefix_contains(p, *decode::parse_ip("::a00:1")));
    const Prefix odd = std::get<Prefix>(parse_cidr("2001:db8:8000::/33"));
    BOOST_TEST(prefix_contains(odd, *decode::parse_ip("2001:db8:ffff::1")));
    BOOST_TEST(!prefix_contains(odd, *decode::parse_ip("2001:db8:7fff::1")));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
