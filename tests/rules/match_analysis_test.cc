#include "rules/match_analysis.h"

#include <bitset>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace icmpgate::rules {
namespace {

using CodeSet = std::bitset<kIcmpValues>;

CodeSet bits(std::initializer_list<std::size_t> positions) {
    CodeSet out;
    for (std::size_t p : positions) out.set(p);
    return out;
}

CodeSet all_but(std::initializer_list<std::size_t> positions) {
    return ~bits(positions);
}

// The reference answers, from the full matrix.
bool subset_by_matrix(const TypeCodeSet& inner, const TypeCodeSet& outer) {
    const TypeCodeMatrix a = expand(inner);
    const TypeCodeMatrix b = expand(outer);
    for (std::size_t t = 0; t < kIcmpValues; ++t)
        if ((a[t] & ~b[t]).any()) return false;
    return true;
}

// Sets drawn from a few types and codes so that pairs overlap, with the edge cases the
// queries special-case: full rows, every code of any type, a type listed twice, a listed
// type with no code.
std::vector<TypeCodeSet> sample_sets() {
    std::mt19937 rng(20261126);
    const std::vector<std::uint8_t> types{0, 3, 11, 255};
    const std::vector<std::size_t> codes{0, 4, 255};
    auto chance = [&](unsigned percent) { return rng() % 100 < percent; };
    auto some_codes = [&] {
        if (chance(10)) return CodeSet{}.set();
        if (chance(10)) return all_but({4});
        CodeSet out;
        for (std::size_t c : codes)
            if (chance(40)) out.set(c);
        return out;
    };
    std::vector<TypeCodeSet> sets(1);  // the empty set first
    for (int i = 0; i < 80; ++i) {
        TypeCodeSet s;
        if (chance(15)) s.all_codes = all_but({3, 11});  // every type but the listed ones
        for (std::uint8_t t : types)
            if (chance(25)) s.all_codes.set(t);
        if (chance(40)) s.codes_any_type = some_codes();
        for (std::uint8_t t : types)
            if (chance(30)) s.restricted.push_back({t, some_codes()});
        if (!s.restricted.empty() && chance(20)) s.restricted.push_back({s.restricted.front().type, some_codes()});
        sets.push_back(s);
    }
    return sets;
}

BOOST_AUTO_TEST_SUITE(match_analysis)

BOOST_AUTO_TEST_CASE(codes_of_type_merges_full_rows_any_type_codes_and_every_listing) {
    TypeCodeSet s;
    s.all_codes = bits({3});
    s.codes_any_type = bits({4});
    s.restricted = {{11, bits({0, 1})}, {11, bits({5})}};
    BOOST_TEST(codes_of_type(s, 3).all());
    BOOST_TEST(codes_of_type(s, 11) == bits({0, 1, 4, 5}));
    BOOST_TEST(codes_of_type(s, 0) == bits({4}));
}

BOOST_AUTO_TEST_CASE(matched_types_are_full_rows_and_listed_types_with_a_code) {
    TypeCodeSet s;
    s.all_codes = bits({3});
    s.restricted = {{11, bits({0})}, {12, CodeSet{}}};
    BOOST_TEST(matched_types(s) == bits({3, 11}));
    s.codes_any_type = bits({9});  // code 9 of every type
    BOOST_TEST(matched_types(s).all());
    BOOST_TEST(matched_types(TypeCodeSet{}).none());
}

BOOST_AUTO_TEST_CASE(is_subset_compares_codes_type_by_type) {
    TypeCodeSet frag_needed;  // 3/4
    frag_needed.restricted = {{3, bits({4})}};
    TypeCodeSet unreachable;  // all of 3
    unreachable.all_codes = bits({3});
    TypeCodeSet code_4;  // code 4 of every type
    code_4.codes_any_type = bits({4});
    TypeCodeSet everything;
    everything.all_codes.set();

    BOOST_TEST(is_subset(frag_needed, unreachable));
    BOOST_TEST(!is_subset(unreachable, frag_needed));
    BOOST_TEST(is_subset(frag_needed, code_4));
    BOOST_TEST(!is_subset(code_4, frag_needed));  // 11/4 too
    BOOST_TEST(is_subset(TypeCodeSet{}, frag_needed));
    BOOST_TEST(is_subset(code_4, everything));
    BOOST_TEST(!is_subset(everything, code_4));

    TypeCodeSet every_code_of_any_type;
    every_code_of_any_type.codes_any_type.set();
    BOOST_TEST(is_subset(everything, every_code_of_any_type));

    // Type 5's row is full only with the listed code 7 added to the codes of any type.
    TypeCodeSet pieced;
    pieced.codes_any_type = all_but({7});
    pieced.restricted = {{5, bits({7})}};
    TypeCodeSet all_of_5;
    all_of_5.all_codes = bits({5});
    BOOST_TEST(is_subset(all_of_5, pieced));
    all_of_5.all_codes.set(6);
    BOOST_TEST(!is_subset(all_of_5, pieced));
}

BOOST_AUTO_TEST_CASE(queries_agree_with_the_expanded_matrix) {
    const std::vector<TypeCodeSet> sets = sample_sets();
    std::size_t subsets = 0;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const TypeCodeMatrix m = expand(sets[i]);
        for (std::size_t t = 0; t < kIcmpValues; ++t) {
            const auto type = static_cast<std::uint8_t>(t);
            BOOST_TEST_REQUIRE(codes_of_type(sets[i], type) == m[t], "set " << i << " type " << t);
            BOOST_TEST_REQUIRE(matched_types(sets[i]).test(t) == m[t].any(), "set " << i << " type " << t);
            BOOST_TEST_REQUIRE(can_match_type(sets[i], type) == m[t].any(), "set " << i << " type " << t);
        }
        for (std::size_t j = 0; j < sets.size(); ++j) {
            const bool expected = subset_by_matrix(sets[i], sets[j]);
            BOOST_TEST_REQUIRE(is_subset(sets[i], sets[j]) == expected, "sets " << i << ", " << j);
            subsets += expected ? 1 : 0;
        }
    }
    // Both answers occur often enough for the comparison to mean something.
    BOOST_TEST(subsets > sets.size() * 2);
    BOOST_TEST(subsets < sets.size() * sets.size() / 2);
}

BOOST_AUTO_TEST_CASE(each_condition_kind_says_whether_it_admits_all_or_some_of_a_class) {
    const MessageClass v4{decode::Family::ipv4, 28, 65507, true};
    PrefixList prefixes;
    BOOST_TEST((admits_all(prefixes, v4) && admits_some(prefixes, v4)));
    prefixes.any = false;
    prefixes.v6.push_back({});
    BOOST_TEST((!admits_all(prefixes, v4) && !admits_some(prefixes, v4)));  // no IPv4 prefix
    prefixes.v4.push_back({});
    BOOST_TEST((!admits_all(prefixes, v4) && admits_some(prefixes, v4)));

    PayloadRange payload{0, 27};
    BOOST_TEST((!admits_all(payload, v4) && !admits_some(payload, v4)));
    payload = {0, 28};
    BOOST_TEST((!admits_all(payload, v4) && admits_some(payload, v4)));
    payload = {28, 65507};
    BOOST_TEST((admits_all(payload, v4) && admits_some(payload, v4)));

    InterfaceSet interfaces;
    interfaces.any = false;
    BOOST_TEST((!admits_all(interfaces, v4) && admits_some(interfaces, v4)));

    EmbeddedMatch embedded;
    embedded.present = true;
    BOOST_TEST(admits_all(embedded, v4));  // every message of the class has a quote
    BOOST_TEST(!admits_all(embedded, MessageClass{decode::Family::ipv4, 0, UINT32_MAX, false}));
    embedded.destination_port.any = false;
    embedded.destination_port.ranges.push_back({53, 53});
    BOOST_TEST((!admits_all(embedded, v4) && admits_some(embedded, v4)));
}

BOOST_AUTO_TEST_CASE(a_match_is_unconditional_only_when_every_condition_admits_all) {
    const MessageClass v6{decode::Family::ipv6, 48, 65527, true};
    CompiledMatch match;
    BOOST_TEST(is_unconditional(match, v6));
    BOOST_TEST(can_match_some(match, v6));
    match.out_interface.any = false;
    BOOST_TEST(!is_unconditional(match, v6));
    BOOST_TEST(can_match_some(match, v6));
    match.out_interface.any = true;
    match.payload.min = 65528;
    BOOST_TEST(!is_unconditional(match, v6));
    BOOST_TEST(!can_match_some(match, v6));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
