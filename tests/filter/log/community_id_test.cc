#include "filter/log/community_id.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "filter/decode/ip_address.h"
#include "filter/log/json_line.h"
#include "filter/log/verdict_record.h"
#include "rules/compiled_policy.h"
#include "tests/support/address.h"
#include "tests/support/alloc_counter.h"

// Expected values: the spec's published baseline (corelight/community-id-spec,
// baseline/baseline_deflt.json and baseline_seed1.json) and, for packets chosen here,
// tests/filter/log/community_id_reference.py, an independent hashlib implementation that
// reproduces all 30 baseline values before printing its own.

namespace {

using icmpgate::decode::DecodedPacket;
using icmpgate::decode::Family;
using icmpgate::decode::IpAddress;
using icmpgate::log::community_id;
using icmpgate::log::community_id_icmp;
using icmpgate::log::community_id_portless;
using icmpgate::log::icmp_port_equivalents;

using icmpgate::test::ip;

std::string icmp_id(const char* src, const char* dst, std::uint8_t type, std::uint8_t code, std::uint16_t seed = 0) {
    return std::string{community_id_icmp(ip(src), ip(dst), type, code, seed).view()};
}

DecodedPacket icmp_packet(const char* src, const char* dst, std::uint8_t type, std::uint8_t code) {
    DecodedPacket p;
    p.is_ip = true;
    p.has_src = p.has_dst = p.has_protocol = true;
    p.is_icmp = true;
    p.src = ip(src);
    p.dst = ip(dst);
    p.family = p.src.family;
    p.protocol = p.family == Family::ipv4 ? 1 : 58;
    p.has_icmp_header = true;
    p.icmp_type = type;
    p.icmp_code = code;
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(community_id_v1)

BOOST_AUTO_TEST_CASE(maps_request_reply_pairs_to_two_way_ports_and_other_types_to_type_and_code) {
    const auto echo = icmp_port_equivalents(Family::ipv4, 8, 0);
    BOOST_TEST(echo.source == 8U);
    BOOST_TEST(echo.destination == 0U);
    BOOST_TEST(!echo.one_way);
    const auto mask_reply = icmp_port_equivalents(Family::ipv4, 18, 0);
    BOOST_TEST(mask_reply.destination == 17U);
    const auto router_advert = icmp_port_equivalents(Family::ipv4, 9, 0);
    BOOST_TEST(router_advert.destination == 10U);
    BOOST_TEST(!router_advert.one_way);
    const auto frag_needed = icmp_port_equivalents(Family::ipv4, 3, 4);
    BOOST_TEST(frag_needed.source == 3U);
    BOOST_TEST(frag_needed.destination == 4U);
    BOOST_TEST(frag_needed.one_way);
    const auto haad_reply = icmp_port_equivalents(Family::ipv6, 145, 0);
    BOOST_TEST(haad_reply.destination == 144U);
    BOOST_TEST(!haad_reply.one_way);
    const auto mld_report = icmp_port_equivalents(Family::ipv6, 131, 0);
    BOOST_TEST(mld_report.destination == 130U);
    // Type 8 is echo request in ICMPv4 only; in ICMPv6 it is unassigned and one-way.
    const auto v6_type_8 = icmp_port_equivalents(Family::ipv6, 8, 5);
    BOOST_TEST(v6_type_8.destination == 5U);
    BOOST_TEST(v6_type_8.one_way);
}

BOOST_AUTO_TEST_CASE(matches_the_spec_baseline_for_icmpv4) {
    BOOST_TEST(icmp_id("192.168.0.89", "192.168.0.1", 8, 0) == "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    BOOST_TEST(icmp_id("192.168.0.1", "192.168.0.89", 0, 0) == "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    BOOST_TEST(icmp_id("10.0.0.1", "10.0.0.2", 11, 0) == "1:YHxtAirCG//0OzkcVAukqKQN9xM=");
    BOOST_TEST(icmp_id("192.168.0.89", "192.168.0.1", 8, 0, 1) == "1:03g6IloqVBdcZlPyX8r0hgoE7kA=");
    BOOST_TEST(icmp_id("10.0.0.1", "10.0.0.2", 11, 0, 1) == "1:XjUibYHaafLQ3pxQeiMI8g25q20=");
}

BOOST_AUTO_TEST_CASE(matches_the_spec_baseline_for_icmpv6) {
    // Neighbour solicitation and its advertisement: one flow, whichever host sends first.
    BOOST_TEST(icmp_id("fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0) ==
               "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=");
    BOOST_TEST(icmp_id("fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0) ==
               "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=");
    BOOST_TEST(icmp_id("fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 0) ==
               "1:zavyT/cezQr1fmImYCwYnMXbgck=");
    BOOST_TEST(icmp_id("3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0) ==
               "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=");
    BOOST_TEST(icmp_id("3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4) ==
               "1:hLZd0XGWojozrvxqE0dWB1iM6R0=");
    BOOST_TEST(icmp_id("3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 0) ==
               "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=");
    BOOST_TEST(icmp_id("3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 0) ==
               "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=");
    BOOST_TEST(icmp_id("fe80::200:86ff:fe05:80da", "ff02::2", 133, 0) == "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=");
    BOOST_TEST(icmp_id("fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0) == "1:pkvHqCL88/tg1k4cPigmZXUtL00=");
    BOOST_TEST(icmp_id("3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, 1) ==
               "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8=");
    BOOST_TEST(icmp_id("fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, 1) == "1:K/ee5UCqAMAQXDorP5nSa2CGLjc=");
}

BOOST_AUTO_TEST_CASE(matches_the_spec_baseline_for_a_protocol_without_ports) {
    BOOST_TEST(std::string{community_id_portless(ip("10.1.12.1"), ip("10.1.12.2"), 46, 0).view()} ==
               "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=");
    BOOST_TEST(std::string{community_id_portless(ip("10.1.12.2"), ip("10.1.12.1"), 46, 0).view()} ==
               "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=");
    BOOST_TEST(std::string{community_id_portless(ip("10.1.12.2"), ip("10.1.12.1"), 46, 1).view()} ==
               "1:rYir8gphR31noO9iDRQmF/BteEI=");
}

BOOST_AUTO_TEST_CASE(gives_an_echo_request_and_its_reply_the_same_id) {
    BOOST_TEST(icmp_id("198.51.100.7", "192.0.2.1", 8, 0) == "1:lBpHIFXLdBM0U1243yAf5wKGrJk=");
    BOOST_TEST(icmp_id("192.0.2.1", "198.51.100.7", 0, 0) == "1:lBpHIFXLdBM0U1243yAf5wKGrJk=");
    BOOST_TEST(icmp_id("2001:db8::2", "2001:db8::1", 128, 0) == "1:YDcnf7YthUKAbDNo6Cs3rX4jq4w=");
    BOOST_TEST(icmp_id("2001:db8::1", "2001:db8::2", 129, 0) == "1:YDcnf7YthUKAbDNo6Cs3rX4jq4w=");
    // Equal addresses: the "ports" (type, counterpart) decide the order.
    BOOST_TEST(icmp_id("2001:db8::1", "2001:db8::1", 128, 0) == "1:UXEGccgEUAjF5GzI48BB4G/YBaU=");
    BOOST_TEST(icmp_id("2001:db8::1", "2001:db8::1", 129, 0) == "1:UXEGccgEUAjF5GzI48BB4G/YBaU=");
}

BOOST_AUTO_TEST_CASE(keeps_the_direction_of_errors_and_unknown_types) {
    BOOST_TEST(icmp_id("203.0.113.9", "192.0.2.1", 3, 4) == "1:ty8EyLd+gKtlfyroj4Lx1lRYj4Y=");
    BOOST_TEST(icmp_id("192.0.2.1", "203.0.113.9", 3, 4) == "1:UTiMdIDY8vcNKBIwVBd/DvoHr+s=");
    BOOST_TEST(icmp_id("192.0.2.1", "203.0.113.9", 42, 7) == "1:6KnpefJFO7zjgkoQdUdG0dwrDJ4=");
    BOOST_TEST(icmp_id("2001:db8:ffff::1", "2001:db8::1", 2, 0) == "1:PR3SHET9ZjZb6hKzO8/4TiYclUQ=");
    BOOST_TEST(icmp_id("2001:db8::1", "2001:db8::2", 200, 3) == "1:GKYycWK5rSw9EODbOEFgEp3eMgg=");
}

BOOST_AUTO_TEST_CASE(puts_the_seed_into_the_hash) {
    BOOST_TEST(icmp_id("192.0.2.1", "198.51.100.7", 8, 0, 65535) == "1:rWEE2cPDTGuLHE6DFahZxQJLOsw=");
}

BOOST_AUTO_TEST_CASE(hashes_a_decoded_packet_by_its_outer_header) {
    DecodedPacket error = icmp_packet("203.0.113.9", "192.0.2.1", 3, 4);
    error.quoted.emplace();  // the quoted flow plays no part
    error.quoted->src = ip("192.0.2.1");
    error.quoted->dst = ip("198.51.100.20");
    const auto id = community_id(error, 0);
    BOOST_REQUIRE(id.has_value());
    BOOST_TEST(std::string{id->view()} == "1:ty8EyLd+gKtlfyroj4Lx1lRYj4Y=");

    DecodedPacket gre;
    gre.is_ip = true;
    gre.has_src = gre.has_dst = gre.has_protocol = true;
    gre.src = ip("192.0.2.1");
    gre.dst = ip("198.51.100.7");
    gre.protocol = 47;
    const auto gre_id = community_id(gre, 0);
    BOOST_REQUIRE(gre_id.has_value());
    BOOST_TEST(std::string{gre_id->view()} == "1:RgkLaSviQYJ7OVkhn/T3l+5nv8A=");
}

BOOST_AUTO_TEST_CASE(gives_no_id_when_the_packet_lacks_what_the_hash_needs) {
    BOOST_TEST(!community_id(DecodedPacket{}, 0).has_value());  // not IP
    DecodedPacket fragment = icmp_packet("192.0.2.1", "198.51.100.7", 8, 0);
    fragment.has_icmp_header = false;  // a non-first fragment or a cut packet
    BOOST_TEST(!community_id(fragment, 0).has_value());
    DecodedPacket tcp = icmp_packet("192.0.2.1", "198.51.100.7", 0, 0);
    tcp.has_icmp_header = false;
    tcp.protocol = 6;  // ports would be needed, and icmpgate does not decode them
    BOOST_TEST(!community_id(tcp, 0).has_value());
    DecodedPacket wrong_family = icmp_packet("192.0.2.1", "198.51.100.7", 128, 0);
    wrong_family.protocol = 58;
    BOOST_TEST(!community_id(wrong_family, 0).has_value());
    DecodedPacket cut_short;  // an IPv4 header cut after 16 bytes: source and protocol read, no destination
    cut_short.is_ip = true;
    cut_short.is_icmp = true;
    cut_short.src = ip("192.0.2.1");
    cut_short.has_src = true;
    cut_short.protocol = 47;
    cut_short.has_protocol = true;
    BOOST_TEST(!community_id(cut_short, 0).has_value());  // never hashed with 0.0.0.0 for the destination
}

BOOST_AUTO_TEST_CASE(is_logged_after_the_icmp_header_only_when_a_seed_is_set) {
    icmpgate::rules::CompiledPolicy policy;
    policy.digest = "sha256:" + std::string(64, 'b');
    icmpgate::verdict::Decision decision;
    decision.verdict = icmpgate::rules::Verdict::accept;
    decision.reason = icmpgate::verdict::Reason::default_verdict;
    const DecodedPacket packet = icmp_packet("192.0.2.1", "198.51.100.7", 0, 0);
    icmpgate::log::VerdictRecord record = icmpgate::log::make_verdict_record(packet, decision, {}, policy);
    icmpgate::log::JsonLine line;
    BOOST_REQUIRE(line.format(record));
    BOOST_TEST(std::string{line.line()}.find("community_id") == std::string::npos);

    record.community_id_seed = 0;
    BOOST_REQUIRE(line.format(record));
    const std::string text{line.line()};
    BOOST_TEST(text.find(R"("icmp_code":0,"community_id":"1:lBpHIFXLdBM0U1243yAf5wKGrJk=","alert")") !=
               std::string::npos);
    BOOST_TEST(nlohmann::json::parse(text)["community_id"] == "1:lBpHIFXLdBM0U1243yAf5wKGrJk=");

    const std::uint64_t before = icmpgate::test::allocation_count();
    for (int i = 0; i < 100; ++i) BOOST_REQUIRE(line.format(record));
    BOOST_TEST(icmpgate::test::allocation_count() == before);
}

BOOST_AUTO_TEST_SUITE_END()
