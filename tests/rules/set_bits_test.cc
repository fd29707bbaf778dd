#include "rules/set_bits.h"

#include <bitset>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <vector>

namespace icmpgate::rules {
namespace {

std::vector<std::size_t> positions(const std::bitset<256>& bits) {
    std::vector<std::size_t> out;
    for_each_set_bit(bits, [&](std::size_t position) { out.push_back(position); });
    return out;
}

BOOST_AUTO_TEST_SUITE(set_bits)

BOOST_AUTO_TEST_CASE(empty_set_visits_nothing) {
    BOOST_TEST(positions({}).empty());
}

BOOST_AUTO_TEST_CASE(bits_at_word_edges_are_visited_in_ascending_order) {
    std::bitset<256> bits;
    for (std::size_t p : {255U, 0U, 63U, 64U, 127U, 128U, 191U, 192U, 7U}) bits.set(p);
    const std::vector<std::size_t> expected{0, 7, 63, 64, 127, 128, 191, 192, 255};
    BOOST_TEST(positions(bits) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(full_set_visits_every_position_once) {
    const std::vector<std::size_t> visited = positions(std::bitset<256>{}.set());
    BOOST_TEST_REQUIRE(visited.size() == 256U);
    for (std::size_t i = 0; i < visited.size(); ++i) BOOST_TEST(visited[i] == i);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
