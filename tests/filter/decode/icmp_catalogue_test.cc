#include "filter/decode/icmp_catalogue.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <tuple>

namespace icmpgate::decode {
namespace {

struct TypeRow {
    Family family;
    std::uint8_t type;
    const char* canonical;
};

// Canonical names: nftables spelling where nftables has one.
const TypeRow kTypeRows[] = {
    {Family::ipv4, 0, "echo-reply"},
    {Family::ipv4, 3, "destination-unreachable"},
    {Family::ipv4, 5, "redirect"},
    {Family::ipv4, 8, "echo-request"},
    {Family::ipv4, 11, "time-exceeded"},
    {Family::ipv4, 17, "address-mask-request"},
    {Family::ipv4, 42, "extended-echo-request"},
    {Family::ipv6, 1, "destination-unreachable"},
    {Family::ipv6, 2, "packet-too-big"},
    {Family::ipv6, 128, "echo-request"},
    {Family::ipv6, 132, "mld-listener-done"},
    {Family::ipv6, 135, "nd-neighbor-solicit"},
    {Family::ipv6, 143, "mld2-listener-report"},
    {Family::ipv6, 161, "extended-echo-reply"},
};

struct CodeRow {
    Family family;
    std::uint8_t type;
    std::uint8_t code;
    const char* canonical;
};

const CodeRow kCodeRows[] = {
    {Family::ipv4, 3, 3, "port-unreachable"},
    {Family::ipv4, 3, 4, "frag-needed"},
    {Family::ipv4, 3, 5, "source-route-failed"},
    {Family::ipv4, 3, 13, "admin-prohibited"},
    {Family::ipv4, 11, 0, "ttl-exceeded-in-transit"},
    {Family::ipv4, 11, 1, "reassembly-timeout"},
    {Family::ipv6, 1, 0, "no-route"},
    {Family::ipv6, 1, 3, "addr-unreachable"},
    {Family::ipv6, 1, 4, "port-unreachable"},
    {Family::ipv6, 1, 5, "policy-fail"},
    {Family::ipv6, 1, 8, "headers-too-long"},
    {Family::ipv6, 3, 0, "hop-limit-exceeded"},
    {Family::ipv6, 4, 3, "incomplete-header-chain"},
    {Family::ipv6, 4, 10, "option-too-big"},
};

std::ostream& operator<<(std::ostream& os, const TypeRow& r) {
    return os << r.canonical;
}
std::ostream& operator<<(std::ostream& os, const CodeRow& r) {
    return os << r.canonical;
}

BOOST_AUTO_TEST_SUITE(icmp_catalogue)

BOOST_DATA_TEST_CASE(canonical_type_name_round_trips, boost::unit_test::data::make(kTypeRows), row) {
    BOOST_TEST(icmp_type_name(row.family, row.type) == row.canonical);
    BOOST_TEST(icmp_type_from_name(row.family, row.canonical).value() == row.type);
}

BOOST_DATA_TEST_CASE(canonical_code_name_round_trips, boost::unit_test::data::make(kCodeRows), row) {
    BOOST_TEST(icmp_code_name(row.family, row.type, row.code) == row.canonical);
    const std::optional<IcmpTypeCode> tc = icmp_code_from_name(row.family, row.canonical);
    BOOST_TEST_REQUIRE(tc.has_value());
    BOOST_TEST(tc->type == row.type);
    BOOST_TEST(tc->code == row.code);
}

BOOST_AUTO_TEST_CASE(iptables_and_pf_aliases_resolve) {
    BOOST_TEST(icmp_type_from_name(Family::ipv4, "ping").value() == 8);
    BOOST_TEST(icmp_type_from_name(Family::ipv4, "pong").value() == 0);
    BOOST_TEST(icmp_type_from_name(Family::ipv4, "ttl-exceeded").value() == 11);
    BOOST_TEST(icmp_type_from_name(Family::ipv4, "echoreq").value() == 8);
    BOOST_TEST(icmp_type_from_name(Family::ipv4, "timex").value() == 11);
    BOOST_TEST(icmp_type_from_name(Family::ipv6, "neighbour-solicitation").value() == 135);
    BOOST_TEST(icmp_type_from_name(Family::ipv6, "toobig").value() == 2);
    BOOST_TEST(icmp_code_from_name(Family::ipv4, "fragmentation-needed")->code == 4);
    BOOST_TEST(icmp_code_from_name(Family::ipv4, "needfrag")->code == 4);
    BOOST_TEST(icmp_code_from_name(Family::ipv4, "communication-prohibited")->code == 13);
    BOOST_TEST(icmp_code_from_name(Family::ipv6, "communication-prohibited")->code == 1);
    BOOST_TEST(icmp_code_from_name(Family::ipv6, "failed-policy")->code == 5);
    BOOST_TEST(icmp_code_from_name(Family::ipv4, "port-unr")->code == 3);
}

BOOST_AUTO_TEST_CASE(name_means_different_numbers_per_family) {
    BOOST_TEST(icmp_code_from_name(Family::ipv4, "port-unreachable")->type == 3);
    BOOST_TEST(icmp_code_from_name(Family::ipv4, "port-unreachable")->code == 3);
    BOOST_TEST(icmp_code_from_name(Family::ipv6, "port-unreachable")->type == 1);
    BOOST_TEST(icmp_code_from_name(Family::ipv6, "port-unreachable")->code == 4);
    BOOST_TEST(icmp_type_from_name(Family::ipv6, "redirect").value() == 137);
    BOOST_TEST(icmp_type_from_name(Family::ipv4, "redirect").value() == 5);
}

BOOST_AUTO_TEST_CASE(names_of_one_family_only_do_not_resolve_in_the_other) {
    BOOST_TEST(!icmp_type_from_name(Family::ipv6, "timestamp-request").has_value());
    BOOST_TEST(!icmp_type_from_name(Family::ipv4, "packet-too-big").has_value());
    BOOST_TEST(!icmp_code_from_name(Family::ipv6, "frag-needed").has_value());
    BOOST_TEST(!icmp_code_from_name(Family::ipv4, "no-route").has_value());
}

BOOST_AUTO_TEST_CASE(unnamed_numbers_have_empty_names) {
    BOOST_TEST(icmp_type_name(Family::ipv4, 1).empty());
    BOOST_TEST(icmp_type_name(Family::ipv6, 100).empty());
    BOOST_TEST(icmp_code_name(Family::ipv4, 3, 16).empty());
    BOOST_TEST(icmp_code_name(Family::ipv4, 8, 0).empty());
}

// The indexed lookups give what a scan of the tables gives, for every family, type and code.
BOOST_AUTO_TEST_CASE(name_lookups_agree_with_the_tables_for_every_number) {
    for (const Family family : {Family::ipv4, Family::ipv6}) {
        for (unsigned type = 0; type <= 0xFF; ++type) {
            std::string_view type_name;
            for (const IcmpTypeName& row : icmp_type_names())
                if (row.canonical && row.family == family && row.type == type) type_name = row.name;
            BOOST_TEST(icmp_type_name(family, static_cast<std::uint8_t>(type)) == type_name);
            for (unsigned code = 0; code <= 0xFF; ++code) {
                std::string_view code_name;
                for (const IcmpCodeName& row : icmp_code_names())
                    if (row.canonical && row.family == family && row.type == type && row.code == code)
                        code_name = row.name;
                const std::string_view found =
                    icmp_code_name(family, static_cast<std::uint8_t>(type), static_cast<std::uint8_t>(code));
                if (found != code_name) BOOST_TEST(found == code_name);  // one report per mismatch
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(canonical_names_are_unique_per_family_and_number) {
    std::set<std::tuple<Family, int>> types;
    for (const IcmpTypeName& row : icmp_type_names())
        if (row.canonical) BOOST_TEST(types.insert({row.family, row.type}).second);
    std::set<std::tuple<Family, int, int>> codes;
    for (const IcmpCodeName& row : icmp_code_names())
        if (row.canonical) BOOST_TEST(codes.insert({row.family, row.type, row.code}).second);
    std::set<std::tuple<Family, std::string>> type_spellings;
    for (const IcmpTypeName& row : icmp_type_names())
        BOOST_TEST(type_spellings.insert({row.family, std::string(row.name)}).second);
}

BOOST_AUTO_TEST_CASE(type_status_follows_rfc_6633_6918_and_4443) {
    BOOST_TEST((icmp_type_status(Family::ipv4, 4) == TypeStatus::deprecated));
    BOOST_TEST((icmp_type_status(Family::ipv4, 6) == TypeStatus::deprecated));
    BOOST_TEST((icmp_type_status(Family::ipv4, 15) == TypeStatus::deprecated));
    BOOST_TEST((icmp_type_status(Family::ipv4, 39) == TypeStatus::deprecated));
    BOOST_TEST((icmp_type_status(Family::ipv4, 13) == TypeStatus::assigned));
    BOOST_TEST((icmp_type_status(Family::ipv4, 40) == TypeStatus::assigned));
    BOOST_TEST((icmp_type_status(Family::ipv4, 1) == TypeStatus::unassigned));
    BOOST_TEST((icmp_type_status(Family::ipv4, 253) == TypeStatus::experimental));
    BOOST_TEST((icmp_type_status(Family::ipv6, 100) == TypeStatus::experimental));
    BOOST_TEST((icmp_type_status(Family::ipv6, 201) == TypeStatus::experimental));
    BOOST_TEST((icmp_type_status(Family::ipv6, 127) == TypeStatus::experimental));
    BOOST_TEST((icmp_type_status(Family::ipv6, 255) == TypeStatus::experimental));
    BOOST_TEST((icmp_type_status(Family::ipv6, 5) == TypeStatus::unassigned));
    BOOST_TEST((icmp_type_status(Family::ipv6, 162) == TypeStatus::unassigned));
    BOOST_TEST((icmp_type_status(Family::ipv6, 4) == TypeStatus::assigned));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::decode
