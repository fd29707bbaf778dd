#include "rules/name_suggestion.h"

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <optional>
#include <random>
#include <string>
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

BOOST_AUTO_TEST_CASE(case_is_ignored) {
    BOOST_TEST(edit_distance("TOS-Host", "tos-host") == 0U);
}

BOOST_AUTO_TEST_CASE(nearest_name_is_suggested_when_close) {
    BOOST_TEST(nearest_name("verdcit", kNames).value() == "verdict");
    BOOST_TEST(nearest_name("ratelimit", kNames).value() == "rate_limit");
    BOOST_TEST(nearest_name("override-protection", kNames).value() == "override_protection");
}

BOOST_AUTO_TEST_CASE(distant_name_gets_no_suggestion) {
    BOOST_TEST(!nearest_name("priority", kNames).has_value());
    BOOST_TEST(!nearest_name("x", kNames).has_value());
}

BOOST_AUTO_TEST_CASE(ties_go_to_the_earlier_candidate) {
    constexpr std::array<std::string_view, 3> kNear{"abce", "abcd", "abcf"};
    BOOST_TEST(nearest_name("abcx", kNear).value() == "abce");
    BOOST_TEST(nearest_name("abcd", kNear).value() == "abcd");  // an exact match wins outright
}

BOOST_AUTO_TEST_CASE(bounded_distance_is_exact_up_to_the_bound) {
    BOOST_TEST(edit_distance_within("verdcit", "verdict", 1).value() == 1U);
    BOOST_TEST(!edit_distance_within("verdcit", "verdict", 0).has_value());
    BOOST_TEST(edit_distance_within("", "abc", 3).value() == 3U);
    BOOST_TEST(!edit_distance_within("", "abc", 2).has_value());
    BOOST_TEST(edit_distance_within("TOS-Host", "tos-host", 0).value() == 0U);
}

// Random pairs over a small alphabet (many matches, swaps and case changes) against the
// full-matrix distance, for every bound up to past the distance.
BOOST_AUTO_TEST_CASE(bounded_distance_agrees_with_the_full_matrix) {
    std::mt19937 rng(1126);
    auto random_word = [&] {
        constexpr std::string_view kLetters = "abAB-";
        std::string word(rng() % 12, 'a');
        for (char& c : word) c = kLetters[rng() % kLetters.size()];
        return word;
    };
    std::size_t within_count = 0;
    for (int n = 0; n < 2000; ++n) {
        const std::string a = random_word();
        const std::string b = random_word();
        const std::size_t full = edit_distance(a, b);
        for (std::size_t bound = 0; bound <= full + 1; ++bound) {
            const std::optional<std::size_t> within = edit_distance_within(a, b, bound);
            BOOST_TEST_REQUIRE(within.has_value() == (full <= bound), "'" << a << "' '" << b << "' bound " << bound);
            if (!within) continue;
            BOOST_TEST_REQUIRE(*within == full, "'" << a << "' '" << b << "' bound " << bound);
            ++within_count;
        }
    }
    BOOST_TEST(within_count >= 2000U);  // every pair is within its own distance once
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
