#include "filter/nfq/interface_names.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace icmpgate::nfq {
namespace {

// A resolver that records the indexes it was asked for and answers "if<N>", or nothing for
// indexes in `gone`.
std::vector<std::uint32_t> g_asked;
std::vector<std::uint32_t> g_gone;

decode::InterfaceName fake_resolve(std::uint32_t ifindex) noexcept {
    g_asked.push_back(ifindex);
    for (std::uint32_t g : g_gone)
        if (g == ifindex) return {};
    return decode::InterfaceName::from("if" + std::to_string(ifindex));
}

struct Fixture {
    Fixture() {
        g_asked.clear();
        g_gone.clear();
    }
    InterfaceNamesEpoch epoch;
    InterfaceNames names{epoch, fake_resolve};
};

constexpr std::int64_t kT0 = 5'000'000'000;

}  // namespace

BOOST_AUTO_TEST_SUITE(interface_names)

BOOST_FIXTURE_TEST_CASE(index_zero_is_no_interface_and_asks_nothing, Fixture) {
    names.begin_batch();
    BOOST_TEST(names.name(0, kT0).empty());
    BOOST_TEST(g_asked.empty());
}

BOOST_FIXTURE_TEST_CASE(a_name_is_resolved_once_then_served_from_the_cache, Fixture) {
    names.begin_batch();
    BOOST_TEST(names.name(3, kT0).view() == "if3");
    BOOST_TEST(names.name(3, kT0 + 1'000).view() == "if3");
    BOOST_TEST(names.name(3, kT0 + InterfaceNames::kMaxAgeNs - 1).view() == "if3");
    BOOST_TEST(g_asked == std::vector<std::uint32_t>{3});
}

BOOST_FIXTURE_TEST_CASE(an_entry_older_than_the_maximum_age_is_resolved_again, Fixture) {
    names.begin_batch();
    BOOST_TEST(names.name(3, kT0).view() == "if3");
    BOOST_TEST(names.name(3, kT0 + InterfaceNames::kMaxAgeNs).view() == "if3");
    BOOST_TEST(g_asked == (std::vector<std::uint32_t>{3, 3}));
    // The age counts from the new lookup.
    BOOST_TEST(names.name(3, kT0 + InterfaceNames::kMaxAgeNs + 1).view() == "if3");
    BOOST_TEST(g_asked.size() == 2U);
}

BOOST_FIXTURE_TEST_CASE(an_unknown_index_is_asked_again_each_time, Fixture) {
    g_gone = {9};
    names.begin_batch();
    BOOST_TEST(names.name(9, kT0).empty());
    BOOST_TEST(names.name(9, kT0).empty());
    BOOST_TEST(g_asked == (std::vector<std::uint32_t>{9, 9}));
    g_gone.clear();  // the interface appeared
    BOOST_TEST(names.name(9, kT0).view() == "if9");
}

BOOST_FIXTURE_TEST_CASE(invalidation_takes_effect_at_the_next_batch, Fixture) {
    names.begin_batch();
    BOOST_TEST(names.name(4, kT0).view() == "if4");
    epoch.invalidate();
    BOOST_TEST(names.name(4, kT0).view() == "if4");  // same batch: still cached
    BOOST_TEST(g_asked.size() == 1U);
    names.begin_batch();
    BOOST_TEST(names.name(4, kT0).view() == "if4");
    BOOST_TEST(g_asked == (std::vector<std::uint32_t>{4, 4}));
    names.begin_batch();  // no new invalidation: the entry stays
    BOOST_TEST(names.name(4, kT0).view() == "if4");
    BOOST_TEST(g_asked.size() == 2U);
}

BOOST_FIXTURE_TEST_CASE(indexes_beyond_the_table_are_resolved_each_time, Fixture) {
    names.begin_batch();
    BOOST_TEST(names.name(100'000, kT0).view() == "if100000");
    BOOST_TEST(names.name(100'000, kT0).view() == "if100000");
    BOOST_TEST(g_asked.size() == 2U);
}

BOOST_AUTO_TEST_CASE(the_system_resolver_names_loopback_and_nothing_for_a_missing_index) {
    // Index 1 is the loopback interface in every network namespace.
    InterfaceNamesEpoch epoch;
    InterfaceNames names{epoch};
    names.begin_batch();
    BOOST_TEST(names.name(1, kT0).view() == "lo");
    BOOST_TEST(names.name(4095, kT0).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::nfq
