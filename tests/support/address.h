#pragma once
// Addresses written as text in tests ("192.0.2.1", "2001:db8::1"); a typo fails the test
// that wrote it instead of testing the zero address.

#include <boost/test/unit_test.hpp>
#include <string_view>

#include "filter/decode/ip_address.h"

namespace icmpgate::test {

inline decode::IpAddress ip(std::string_view text) {
    const auto parsed = decode::parse_ip(text);
    BOOST_TEST_REQUIRE(parsed.has_value(), "bad test address " << text);
    return *parsed;
}

}  // namespace icmpgate::test
