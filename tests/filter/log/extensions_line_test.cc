// RFC 4884 extension structures in the verdict line (icmpgate.extensions): bytes built by the
// test, decoded by the product, written as a line, compared value by value and in order.

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "filter/decode/decode.h"
#include "filter/log/json_line.h"
#include "filter/log/verdict_record.h"
#include "rules/compiled_policy.h"
#include "tests/support/extension_builder.h"
#include "tests/support/packet_builder.h"

namespace {

using icmpgate::decode::DecodedPacket;
using icmpgate::test::concat;
using icmpgate::test::ExtensionChecksum;
using icmpgate::test::label;
using icmpgate::test::mpls;
using icmpgate::test::name_sub_object;
using icmpgate::test::object;
using icmpgate::test::Packet;
using icmpgate::test::PacketBuilder;
using icmpgate::test::structure;
using icmpgate::test::time_exceeded_with;
using icmpgate::test::word;
using nlohmann::ordered_json;

// RFC 5837 4.1: C-Type = role << 6 | ifIndex 0x08 | address 0x04 | name 0x02 | MTU 0x01.
constexpr std::uint8_t kOutgoing = 2U << 6U;
constexpr std::uint8_t kNextHop = 3U << 6U;

// The line of `bytes`, accepted as a protected type.
std::string line_of(const Packet& bytes, icmpgate::log::Ipv6Text ipv6 = icmpgate::log::Ipv6Text::rfc5952) {
    const DecodedPacket packet = icmpgate::decode::decode_packet(bytes, {});
    icmpgate::rules::CompiledPolicy policy;
    policy.digest = "sha256:00";
    icmpgate::verdict::Decision decision;
    decision.verdict = icmpgate::rules::Verdict::accept;
    decision.reason = icmpgate::verdict::Reason::protected_type;
    icmpgate::log::VerdictRecord record = icmpgate::log::make_verdict_record(packet, decision, {}, policy);
    record.ipv6_text = ipv6;
    icmpgate::log::JsonLine line;
    BOOST_REQUIRE(line.format(record));
    return std::string{line.line()};
}

// The line's icmpgate object, members in the order written.
ordered_json icmpgate_object(const Packet& bytes, icmpgate::log::Ipv6Text ipv6 = icmpgate::log::Ipv6Text::rfc5952) {
    return ordered_json::parse(line_of(bytes, ipv6))["icmpgate"];
}

std::string extensions_text(const Packet& bytes, icmpgate::log::Ipv6Text ipv6 = icmpgate::log::Ipv6Text::rfc5952) {
    const ordered_json own = icmpgate_object(bytes, ipv6);
    BOOST_REQUIRE(own.contains("extensions"));
    return own["extensions"].dump();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(extensions_line)

BOOST_AUTO_TEST_CASE(writes_a_label_stack_and_an_interface_exactly) {
    const Packet interface =
        object(2, kOutgoing | 0x0F,
               concat({word(15), {0, 1, 0, 0, 192, 0, 2, 254}, name_sub_object("ge-0/0/1.0"), word(1500)}));
    const Packet bytes =
        time_exceeded_with(structure(concat({mpls({label(16, 0, false, 1), label(100704, 5, true, 254)}), interface})))
            .build();
    BOOST_TEST(
        extensions_text(bytes) ==
        R"({"announced":true,"checksum":"valid","objects":2,"mpls_labels":2,)"
        R"("mpls":[{"label":16,"tc":0,"s":false,"ttl":1},{"label":100704,"tc":5,"s":true,"ttl":254}],)"
        R"("interface_objects":1,)"
        R"("interfaces":[{"role":"outgoing","ifindex":15,"address":"192.0.2.254","name":"ge-0/0/1.0","mtu":1500}]})");
    // After the quote, before the anomalies and the policy.
    const ordered_json own = icmpgate_object(bytes);
    std::string before;
    std::string after;
    bool seen = false;
    for (const auto& item : own.items()) {
        if (item.key() == "extensions") {
            seen = true;
        } else if (!seen) {
            before = item.key();
        } else if (after.empty()) {
            after = item.key();
        }
    }
    BOOST_TEST(before == "embedded");
    BOOST_TEST(after == "policy");
}

BOOST_AUTO_TEST_CASE(writes_each_interface_part_only_when_its_bit_is_set) {
    // Every role; an IPv6 address alone; a name alone, escaped (a quote, a control byte and a
    // byte that is not UTF-8); ifIndex and MTU alone; an object of another class is counted.
    const Packet incoming =
        object(2, 0x00 | 0x04, concat({{0, 2, 0, 0}, icmpgate::test::address_bytes("2001:db8::1")}));
    const Packet sub_ip = object(2, (1U << 6U) | 0x02, name_sub_object("eth\"0\x01\xff"));
    const Packet outgoing = object(2, kOutgoing | 0x08 | 0x01, concat({word(4'294'967'295U), word(9000)}));
    const Packet next_hop = object(2, kNextHop | 0x04, {0, 1, 0, 0, 198, 51, 100, 1});
    const Packet other = object(3, 1, word(7));
    const Packet bytes =
        time_exceeded_with(structure(concat({incoming, sub_ip, other, outgoing, next_hop}), ExtensionChecksum::none))
            .build();
    // As written (a parser would turn \ufffd back into its UTF-8 bytes).
    BOOST_TEST(
        line_of(bytes).find(
            R"(,"extensions":{"announced":true,"checksum":"none","objects":5,"interface_objects":4,"interfaces":[)"
            R"({"role":"incoming","address":"2001:db8::1"},)"
            R"({"role":"incoming-sub-ip","name":"eth\"0\u0001\ufffd"},)"
            R"({"role":"outgoing","ifindex":4294967295,"mtu":9000},)"
            R"({"role":"next-hop","address":"198.51.100.1"}]},)") != std::string::npos);
    // --expand-ipv6 reaches the interface address too.
    BOOST_TEST(icmpgate_object(bytes, icmpgate::log::Ipv6Text::expanded)["extensions"]["interfaces"][0]["address"] ==
               "2001:0db8:0000:0000:0000:0000:0000:0001");
}

BOOST_AUTO_TEST_CASE(lists_eight_labels_and_four_interfaces_and_counts_the_rest) {
    Packet labels;
    for (std::uint32_t i = 0; i < 10; ++i) labels = concat({labels, label(1000 + i, 0, i == 9, 64)});
    Packet interfaces;
    for (std::uint32_t i = 0; i < 5; ++i) interfaces = concat({interfaces, object(2, 0x08, word(i + 1))});
    const ordered_json ext = icmpgate_object(
        time_exceeded_with(structure(concat({object(1, 1, labels), interfaces}))).build())["extensions"];
    BOOST_TEST(ext["objects"] == 6);
    BOOST_TEST(ext["mpls_labels"] == 10);
    BOOST_TEST_REQUIRE(ext["mpls"].size() == 8U);
    BOOST_TEST(ext["mpls"][7].dump() == R"({"label":1007,"tc":0,"s":false,"ttl":64})");
    BOOST_TEST(ext["interface_objects"] == 5);
    BOOST_TEST_REQUIRE(ext["interfaces"].size() == 4U);
    BOOST_TEST(ext["interfaces"][3].dump() == R"({"role":"incoming","ifindex":4})");
}

// RFC 4884 5: a structure found 128 octets in without a length attribute.
BOOST_AUTO_TEST_CASE(says_when_no_length_attribute_announced_the_structure) {
    const Packet bytes = time_exceeded_with(structure(mpls({label(100704, 0, true, 1)})), 0).build();
    BOOST_TEST(extensions_text(bytes) == R"({"announced":false,"checksum":"valid","objects":1,"mpls_labels":1,)"
                                         R"("mpls":[{"label":100704,"tc":0,"s":true,"ttl":1}]})");
}

BOOST_AUTO_TEST_CASE(writes_an_icmpv6_structure) {
    const Packet bytes = PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7")
                             .time_exceeded()
                             .rfc4884_length(16)
                             .quote(PacketBuilder::ipv6("2001:db8:1::7", "2001:db8:2::9").hop_limit(1).udp(1, 2))
                             .pad_payload_to(128)
                             .payload(structure(mpls({label(42, 0, true, 1)})))
                             .build();
    BOOST_TEST(extensions_text(bytes) == R"({"announced":true,"checksum":"valid","objects":1,"mpls_labels":1,)"
                                         R"("mpls":[{"label":42,"tc":0,"s":true,"ttl":1}]})");
}

// A malformed structure is not logged as one: the anomaly says what was wrong.
BOOST_AUTO_TEST_CASE(a_malformed_structure_is_an_anomaly_not_an_object) {
    Packet wrong = structure(mpls({label(1, 0, true, 1)}));
    wrong[3] ^= 0x01;  // the checksum no longer verifies
    const ordered_json own = icmpgate_object(time_exceeded_with(wrong).build());
    BOOST_TEST(!own.contains("extensions"));
    BOOST_TEST(own["anomalies"].dump() == R"(["bad-extension"])");
    // Nor is a message without one.
    BOOST_TEST(!icmpgate_object(time_exceeded_with({}).build())["extensions"].is_object());
}

BOOST_AUTO_TEST_SUITE_END()
