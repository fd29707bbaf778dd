#include "rules/port_range.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <variant>

namespace icmpgate::rules {
namespace {

std::string parsed(std::string_view text) {
    const auto result = parse_port_range(text);
    if (const auto* message = std::get_if<std::string>(&result)) return "error: " + *message;
    const PortRange r = std::get<PortRange>(result);
    return std::to_string(r.first) + ".." + std::to_string(r.last);
}

BOOST_AUTO_TEST_SUITE(port_range)

BOOST_AUTO_TEST_CASE(single_port_and_range_parse) {
    BOOST_TEST(parsed("53") == "53..53");
    BOOST_TEST(parsed("1024-65535") == "1024..65535");
    BOOST_TEST(parsed("0-0") == "0..0");
}

BOOST_AUTO_TEST_CASE(bad_ranges_are_errors_naming_the_text) {
    BOOST_TEST(parsed("90-80") == "error: '90-80' is not a port range: 90 is greater than 80");
    BOOST_TEST(parsed("1-70000") == "error: '1-70000' is out of range 0..65535");
    BOOST_TEST(parsed("http") == "error: 'http' is not a port or a port range 'first-last'");
    BOOST_TEST(parsed("1-") == "error: '1-' is not a port or a port range 'first-last'");
    BOOST_TEST(parsed("-5") == "error: '-5' is not a port or a port range 'first-last'");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
