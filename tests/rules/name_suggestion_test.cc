#include "rules/name_suggestion.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <string_view>

namespace icmpgate::rules {
namespace {

constexpr std::array<std::string_view, 4> kNames{"verdict", "rate_limit", "override_protection", "match"};

BOOST_AUTO_TEST_SUITE(name_suggestion)

BOOST_AUTO_TEST_CASE(transposition_costs_one_edit) {
    BOOST_TEST(edit_distance("verdcit", "verdict") == 1U);
    BOOST_TEST(edit_distance("abc", "abc") == 0U);
    BOOST_TEST(edit_distance("", "abc") == 3U);
}

BOOST_AUTO_TEST_CASE(case_is_ignored) { BOOST_TEST(edit_distance("TOS-Host", "tos-host") == 0U); }

BOOST_AUTO_TEST_CASE(nearest_name_is_suggested_when_close) {
    BOOST_TEST(nearest_name("verdcit", kNames).value() == "verdict");
    BOOST_TEST(nearest_name("ratelimit", kNames).value() == "rate_limit");
    BOOST_TEST(nearest_name("override-protection", kNames).value() == "override_protection");
}

BOOST_AUTO_TEST_CASE(distant_name_gets_no_suggestion) {
    BOOST_TEST(!nearest_name("priority", kNames).has_value());
    BOOST_TEST(!nearest_name("x", kNames).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
