// compile_match on documents built by hand: what the compiler makes of each kind of value,
// without the reader in between.
#include "rules/match_compiler.h"

#include <boost/test/unit_test.hpp>
#include <vector>

#include "rules/cidr.h"

namespace icmpgate::rules {
namespace {

using decode::Family;
constexpr std::size_t kV4 = 0;
constexpr std::size_t kV6 = 1;

IcmpValue named(std::optional<decode::IcmpTypeCode> v4, std::optional<decode::IcmpTypeCode> v6) {
    IcmpValue value;
    value.name = "n";
    value.meaning = {v4, v6};
    return value;
}

IcmpValue number(std::uint8_t n) {
    IcmpValue value;
    value.number = n;
    return value;
}

Prefix prefix(const char* text) {
    return std::get<Prefix>(parse_cidr(text));
}

BOOST_AUTO_TEST_SUITE(match_compiler)

BOOST_AUTO_TEST_CASE(an_empty_match_matches_every_type_of_both_families_and_has_no_condition) {
    const CompiledMatch m = compile_match(MatchDocument{});
    BOOST_TEST(m.families[kV4]);
    BOOST_TEST(m.families[kV6]);
    BOOST_TEST(m.type_code[kV4].all_codes.all());
    BOOST_TEST(m.source.any);
    BOOST_TEST(m.in_interface.any);
    BOOST_TEST(m.payload.min == 0U);
    BOOST_TEST(m.payload.max == UINT32_MAX);
    BOOST_TEST(!m.embedded.present);
}

BOOST_AUTO_TEST_CASE(family_limits_the_families_and_numbers_apply_to_it) {
    MatchDocument doc;
    doc.family = Family::ipv6;
    doc.types = std::vector<IcmpValue>{number(2)};
    const CompiledMatch m = compile_match(doc);
    BOOST_TEST(!m.families[kV4]);
    BOOST_TEST(m.families[kV6]);
    BOOST_TEST(m.type_code[kV6].all_codes.count() == 1U);
    BOOST_TEST(m.type_code[kV6].all_codes.test(2));
    BOOST_TEST(m.type_code[kV4].empty());
}

BOOST_AUTO_TEST_CASE(a_name_of_one_family_leaves_the_other_without_types) {
    MatchDocument doc;
    doc.types = std::vector<IcmpValue>{named(decode::IcmpTypeCode{13, 0}, std::nullopt)};
    const CompiledMatch m = compile_match(doc);
    BOOST_TEST(m.families[kV4]);
    BOOST_TEST(!m.families[kV6]);
}

BOOST_AUTO_TEST_CASE(code_names_restrict_their_types_and_numbers_every_listed_type) {
    MatchDocument doc;
    doc.family = Family::ipv4;
    doc.types = std::vector<IcmpValue>{number(3), number(11)};
    doc.codes = std::vector<IcmpValue>{named(decode::IcmpTypeCode{3, 3}, std::nullopt), number(0)};
    const CompiledMatch m = compile_match(doc);
    const TypeCodeSet& set = m.type_code[kV4];
    BOOST_TEST(set.matches(3, 3));
    BOOST_TEST(set.matches(3, 0));
    BOOST_TEST(!set.matches(3, 4));
    BOOST_TEST(set.matches(11, 0));
    BOOST_TEST(!set.matches(11, 3));
    BOOST_TEST(set.all_codes.none());
}

BOOST_AUTO_TEST_CASE(codes_without_types_carry_their_own_type) {
    MatchDocument doc;
    doc.codes = std::vector<IcmpValue>{named(decode::IcmpTypeCode{3, 3}, decode::IcmpTypeCode{1, 4})};
    const CompiledMatch m = compile_match(doc);
    BOOST_TEST(m.type_code[kV4].matches(3, 3));
    BOOST_TEST(!m.type_code[kV4].matches(1, 4));
    BOOST_TEST(m.type_code[kV6].matches(1, 4));
}

BOOST_AUTO_TEST_CASE(prefixes_split_by_family_and_a_family_without_one_cannot_match) {
    MatchDocument doc;
    doc.source = std::vector<Prefix>{prefix("192.0.2.0/24"), prefix("2001:db8::/32")};
    doc.destination = std::vector<Prefix>{prefix("198.51.100.0/24")};
    const CompiledMatch m = compile_match(doc);
    BOOST_TEST(!m.source.any);
    BOOST_TEST(m.source.v4.size() == 1U);
    BOOST_TEST(m.source.v6.size() == 1U);
    BOOST_TEST(m.families[kV4]);
    BOOST_TEST(!m.families[kV6]);  // no IPv6 destination
}

BOOST_AUTO_TEST_CASE(quoted_prefixes_restrict_the_families_too) {
    MatchDocument doc;
    doc.embedded = EmbeddedDocument{};
    doc.embedded->destination = std::vector<Prefix>{prefix("2001:db8::/32")};
    doc.embedded->protocols = std::vector<std::uint8_t>{17, 6};
    doc.embedded->source_port = std::vector<PortRange>{{53, 53}};
    const CompiledMatch m = compile_match(doc);
    BOOST_TEST(m.embedded.present);
    BOOST_TEST(!m.families[kV4]);
    BOOST_TEST(!m.embedded.protocol.any);
    BOOST_TEST(m.embedded.protocol.protocols.count() == 2U);
    BOOST_TEST(!m.embedded.source_port.any);
    BOOST_TEST(m.embedded.destination_port.any);
    BOOST_TEST(m.embedded.source.any);
}

BOOST_AUTO_TEST_CASE(interfaces_and_payload_bounds_are_kept) {
    MatchDocument doc;
    doc.in_interface = std::vector<InterfacePattern>{{decode::InterfaceName::from("eth"), true}};
    doc.payload_max = 64;
    const CompiledMatch m = compile_match(doc);
    BOOST_TEST(!m.in_interface.any);
    BOOST_TEST(m.in_interface.patterns.at(0).prefix);
    BOOST_TEST(m.out_interface.any);
    BOOST_TEST(m.payload.min == 0U);
    BOOST_TEST(m.payload.max == 64U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
