#include "rules/rule_matcher.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <ostream>
#include <string_view>

#include "filter/decode/icmp_types.h"
#include "tests/support/address.h"

namespace icmpgate::rules {

namespace {

using decode::Family;

using icmpgate::test::ip;

Prefix prefix(std::string_view address, std::uint8_t length) {
    return Prefix{ip(address), length};
}

PrefixList prefixes(std::initializer_list<Prefix> list) {
    PrefixList l;
    l.any = false;
    for (const Prefix& p : list) (p.address.family == Family::ipv4 ? l.v4 : l.v6).push_back(p);
    return l;
}

// An IPv4 echo request 192.0.2.1 -> 198.51.100.7 with 56 payload bytes.
decode::DecodedPacket echo_v4() {
    decode::DecodedPacket p;
    p.is_ip = true;
    p.is_icmp = true;
    p.family = Family::ipv4;
    p.src = ip("192.0.2.1");
    p.dst = ip("198.51.100.7");
    p.protocol = decode::kIpProtoIcmp;
    p.has_icmp_header = true;
    p.icmp_type = decode::icmp4::kEchoRequest;
    p.icmp_code = 0;
    p.payload_size = 56;
    return p;
}

// An IPv4 port unreachable from 198.51.100.7 about a UDP packet 192.0.2.1:5353 -> 198.51.100.7:53.
decode::DecodedPacket port_unreachable_v4() {
    decode::DecodedPacket p = echo_v4();
    p.src = ip("198.51.100.7");
    p.dst = ip("192.0.2.1");
    p.icmp_type = decode::icmp4::kDestUnreachable;
    p.icmp_code = 3;
    p.payload_size = 28;
    decode::QuotedPacket q;
    q.family = Family::ipv4;
    q.protocol = decode::kIpProtoUdp;
    q.src = ip("192.0.2.1");
    q.dst = ip("198.51.100.7");
    q.transport_complete = true;
    q.src_port = 5353;
    q.dst_port = 53;
    p.quoted = q;
    return p;
}

decode::DecodedPacket echo_v6() {
    decode::DecodedPacket p = echo_v4();
    p.family = Family::ipv6;
    p.src = ip("2001:db8:1::1");
    p.dst = ip("2001:db8:2::7");
    p.protocol = decode::kIpProtoIcmpv6;
    p.icmp_type = decode::icmp6::kEchoRequest;
    return p;
}

// Matches everything: every type of both families.
CompiledMatch match_all() {
    CompiledMatch m;
    m.type_code[0].all_codes.set();
    m.type_code[1].all_codes.set();
    return m;
}

decode::PacketMeta meta(std::string_view in = "", std::string_view out = "") {
    decode::PacketMeta m;
    m.in_interface = decode::InterfaceName::from(in);
    m.out_interface = decode::InterfaceName::from(out);
    return m;
}

InterfaceSet interfaces(std::string_view name, bool is_prefix) {
    InterfaceSet set;
    set.any = false;
    set.patterns.push_back({decode::InterfaceName::from(name), is_prefix});
    return set;
}

PortSet ports(std::uint16_t first, std::uint16_t last) {
    PortSet set;
    set.any = false;
    set.ranges.push_back({first, last});
    return set;
}

struct InterfaceCase {
    std::string_view pattern;
    bool prefix;
    std::string_view actual;
    bool matches;
};

std::ostream& operator<<(std::ostream& out, const InterfaceCase& c) {
    return out << "pattern '" << c.pattern << (c.prefix ? "+'" : "'") << " vs '" << c.actual << "'";
}

const InterfaceCase kInterfaceCases[] = {
    {"eth0", false, "eth0", true}, {"eth0", false, "eth1", false}, {"eth0", false, "eth01", false},
    {"eth0", false, "eth", false}, {"eth", true, "eth0", true},    {"eth", true, "eth", true},
    {"eth", true, "wlan0", false}, {"eth", true, "et", false},     {"eth0", false, "", false},
    {"", true, "", false},         {"", true, "lo", true},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_matcher)

BOOST_AUTO_TEST_CASE(match_without_keys_matches_any_icmp_packet) {
    BOOST_TEST(rule_matches(match_all(), echo_v4(), meta()));
    BOOST_TEST(rule_matches(match_all(), echo_v6(), meta()));
}

BOOST_AUTO_TEST_CASE(packet_without_icmp_header_never_matches) {
    decode::DecodedPacket p = echo_v4();
    p.has_icmp_header = false;
    BOOST_TEST(!rule_matches(match_all(), p, meta()));
}

BOOST_AUTO_TEST_CASE(disabled_family_does_not_match) {
    CompiledMatch m = match_all();
    m.families = {true, false};
    BOOST_TEST(rule_matches(m, echo_v4(), meta()));
    BOOST_TEST(!rule_matches(m, echo_v6(), meta()));
}

BOOST_AUTO_TEST_CASE(type_matches_only_listed_types) {
    CompiledMatch m;
    m.type_code[0].all_codes.set(decode::icmp4::kEchoRequest);
    BOOST_TEST(rule_matches(m, echo_v4(), meta()));
    decode::DecodedPacket reply = echo_v4();
    reply.icmp_type = decode::icmp4::kEchoReply;
    BOOST_TEST(!rule_matches(m, reply, meta()));
    // v6 has no type in this match: its set is empty.
    BOOST_TEST(!rule_matches(m, echo_v6(), meta()));
}

BOOST_AUTO_TEST_CASE(type_restricted_to_codes_matches_only_those_codes) {
    CompiledMatch m;
    TypeCodeSet::Restricted unreachable;
    unreachable.type = decode::icmp4::kDestUnreachable;
    unreachable.codes.set(3);
    m.type_code[0].restricted.push_back(unreachable);
    decode::DecodedPacket p = port_unreachable_v4();
    BOOST_TEST(rule_matches(m, p, meta()));
    p.icmp_code = 1;
    BOOST_TEST(!rule_matches(m, p, meta()));
}

BOOST_AUTO_TEST_CASE(payload_size_bounds_are_inclusive) {
    CompiledMatch m = match_all();
    m.payload.min = 56;
    m.payload.max = 56;
    BOOST_TEST(rule_matches(m, echo_v4(), meta()));
    m.payload.min = 57;
    m.payload.max = UINT32_MAX;
    BOOST_TEST(!rule_matches(m, echo_v4(), meta()));
    m.payload.min = 0;
    m.payload.max = 55;
    BOOST_TEST(!rule_matches(m, echo_v4(), meta()));
}

BOOST_AUTO_TEST_CASE(source_prefix_list_matches_contained_addresses) {
    CompiledMatch m = match_all();
    m.source = prefixes({prefix("203.0.113.0", 24), prefix("192.0.2.0", 24)});
    BOOST_TEST(rule_matches(m, echo_v4(), meta()));
    m.source = prefixes({prefix("203.0.113.0", 24)});
    BOOST_TEST(!rule_matches(m, echo_v4(), meta()));
}

BOOST_AUTO_TEST_CASE(prefix_list_of_the_other_family_only_does_not_match) {
    CompiledMatch m = match_all();
    m.source = prefixes({prefix("::", 0)});
    BOOST_TEST(!rule_matches(m, echo_v4(), meta()));
    BOOST_TEST(rule_matches(m, echo_v6(), meta()));
}

BOOST_AUTO_TEST_CASE(destination_prefix_list_matches_contained_addresses) {
    CompiledMatch m = match_all();
    m.destination = prefixes({prefix("198.51.100.0", 25), prefix("2001:db8:2::", 48)});
    BOOST_TEST(rule_matches(m, echo_v4(), meta()));
    BOOST_TEST(rule_matches(m, echo_v6(), meta()));
    m.destination = prefixes({prefix("198.51.100.128", 25), prefix("2001:db8:3::", 48)});
    BOOST_TEST(!rule_matches(m, echo_v4(), meta()));
    BOOST_TEST(!rule_matches(m, echo_v6(), meta()));
}

BOOST_AUTO_TEST_CASE(prefix_list_compares_only_the_prefix_bits) {
    const auto contains = [](const Prefix& p, const decode::IpAddress& a) {
        return prefix_list_matches(prefixes({p}), a);
    };
    BOOST_TEST(contains(prefix("10.1.16.0", 20), ip("10.1.31.255")));
    BOOST_TEST(!contains(prefix("10.1.16.0", 20), ip("10.1.32.0")));
    BOOST_TEST(contains(prefix("0.0.0.0", 0), ip("255.255.255.255")));
    BOOST_TEST(contains(prefix("192.0.2.1", 32), ip("192.0.2.1")));
    BOOST_TEST(!contains(prefix("192.0.2.1", 32), ip("192.0.2.0")));
    BOOST_TEST(contains(prefix("2001:db8::", 33), ip("2001:db8:7fff::1")));
    BOOST_TEST(!contains(prefix("2001:db8::", 33), ip("2001:db8:8000::1")));
    BOOST_TEST(contains(prefix("2001:db8::1", 128), ip("2001:db8::1")));
    BOOST_TEST(!contains(prefix("0.0.0.0", 0), ip("::")));
}

BOOST_DATA_TEST_CASE(in_interface_matches_exact_name_or_prefix, boost::unit_test::data::make(kInterfaceCases), sample) {
    CompiledMatch m = match_all();
    m.in_interface = interfaces(sample.pattern, sample.prefix);
    BOOST_TEST(rule_matches(m, echo_v4(), meta(sample.actual, "")) == sample.matches);
}

BOOST_AUTO_TEST_CASE(out_interface_is_checked_against_the_output_interface) {
    CompiledMatch m = match_all();
    m.out_interface = interfaces("wan", true);
    BOOST_TEST(rule_matches(m, echo_v4(), meta("lan0", "wan1")));
    BOOST_TEST(!rule_matches(m, echo_v4(), meta("wan1", "lan0")));
    BOOST_TEST(!rule_matches(m, echo_v4(), meta("wan1", "")));
}

BOOST_AUTO_TEST_CASE(interface_set_matches_any_listed_pattern) {
    InterfaceSet set = interfaces("eth0", false);
    set.patterns.push_back({decode::InterfaceName::from("ppp"), true});
    BOOST_TEST(interface_set_matches(set, decode::InterfaceName::from("ppp7")));
    BOOST_TEST(interface_set_matches(set, decode::InterfaceName::from("eth0")));
    BOOST_TEST(!interface_set_matches(set, decode::InterfaceName::from("eth1")));
}

BOOST_AUTO_TEST_CASE(embedded_key_requires_a_quote) {
    CompiledMatch m = match_all();
    m.embedded.present = true;
    BOOST_TEST(!rule_matches(m, echo_v4(), meta()));
    BOOST_TEST(rule_matches(m, port_unreachable_v4(), meta()));
}

BOOST_AUTO_TEST_CASE(embedded_protocol_matches_the_quoted_protocol) {
    CompiledMatch m = match_all();
    m.embedded.present = true;
    m.embedded.protocol.any = false;
    m.embedded.protocol.protocols.set(decode::kIpProtoUdp);
    BOOST_TEST(rule_matches(m, port_unreachable_v4(), meta()));
    m.embedded.protocol.protocols.reset();
    m.embedded.protocol.protocols.set(decode::kIpProtoTcp);
    BOOST_TEST(!rule_matches(m, port_unreachable_v4(), meta()));
}

BOOST_AUTO_TEST_CASE(embedded_source_and_destination_match_the_quoted_addresses) {
    CompiledMatch m = match_all();
    m.embedded.present = true;
    m.embedded.source = prefixes({prefix("192.0.2.0", 24)});
    m.embedded.destination = prefixes({prefix("198.51.100.7", 32)});
    BOOST_TEST(rule_matches(m, port_unreachable_v4(), meta()));
    m.embedded.destination = prefixes({prefix("198.51.100.8", 32)});
    BOOST_TEST(!rule_matches(m, port_unreachable_v4(), meta()));
    m.embedded.destination = PrefixList{};
    m.embedded.source = prefixes({prefix("198.51.100.0", 24)});  // the outer source, not the quoted one
    BOOST_TEST(!rule_matches(m, port_unreachable_v4(), meta()));
}

BOOST_AUTO_TEST_CASE(embedded_ports_match_within_a_listed_range) {
    CompiledMatch m = match_all();
    m.embedded.present = true;
    m.embedded.destination_port = ports(53, 53);
    BOOST_TEST(rule_matches(m, port_unreachable_v4(), meta()));
    m.embedded.destination_port = ports(54, 65535);
    BOOST_TEST(!rule_matches(m, port_unreachable_v4(), meta()));
    m.embedded.destination_port = PortSet{};
    m.embedded.source_port = ports(1024, 65535);
    BOOST_TEST(rule_matches(m, port_unreachable_v4(), meta()));
    m.embedded.source_port = ports(0, 1023);
    BOOST_TEST(!rule_matches(m, port_unreachable_v4(), meta()));
}

BOOST_AUTO_TEST_CASE(embedded_port_key_does_not_match_a_quote_without_ports) {
    decode::DecodedPacket p = port_unreachable_v4();
    p.quoted->transport_complete = false;
    p.quoted->src_port.reset();
    p.quoted->dst_port.reset();
    CompiledMatch m = match_all();
    m.embedded.present = true;
    BOOST_TEST(rule_matches(m, p, meta()));  // no port key: a quote without ports is fine
    m.embedded.destination_port = ports(0, 65535);
    BOOST_TEST(!rule_matches(m, p, meta()));
}

BOOST_AUTO_TEST_CASE(every_key_must_hold) {
    CompiledMatch m = match_all();
    m.source = prefixes({prefix("198.51.100.0", 24)});
    m.embedded.present = true;
    m.embedded.destination_port = ports(53, 53);
    m.in_interface = interfaces("eth", true);
    BOOST_TEST(rule_matches(m, port_unreachable_v4(), meta("eth0")));
    BOOST_TEST(!rule_matches(m, port_unreachable_v4(), meta("wlan0")));
    decode::DecodedPacket other_port = port_unreachable_v4();
    other_port.quoted->dst_port = 54;
    BOOST_TEST(!rule_matches(m, other_port, meta("eth0")));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::rules
