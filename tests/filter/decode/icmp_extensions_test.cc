#include "filter/decode/icmp_extensions.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string_view>
#include <vector>

#include "filter/decode/decode.h"
#include "tests/support/extension_builder.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::decode {
namespace {

using test::anomaly_set;
using test::concat;
using test::label;
using test::mpls;
using test::name_sub_object;
using test::object;
using test::Packet;
using test::PacketBuilder;
using test::structure;
using test::time_exceeded_with;
using test::word;
using Sum = test::ExtensionChecksum;

constexpr const char* kRouter4 = "203.0.113.1";
constexpr const char* kHost4 = "198.51.100.7";

DecodedPacket decode(const Packet& bytes, DecodeOptions options = {}) {
    return decode_packet(bytes, options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(icmp_extensions)

BOOST_AUTO_TEST_CASE(mpls_label_stack_is_decoded_exactly) {
    const DecodedPacket p =
        decode(time_exceeded_with(structure(mpls({label(16, 0, false, 1), label(100704, 5, true, 254)}))).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    const IcmpExtensions& e = *p.extensions;
    BOOST_TEST(e.from_length_attribute);
    BOOST_TEST(e.checksum == ChecksumState::valid);
    BOOST_TEST(e.object_count == 1U);
    BOOST_TEST(e.mpls_label_total == 2U);
    BOOST_TEST_REQUIRE(e.mpls_label_count == 2U);
    BOOST_TEST((e.mpls_labels[0] == MplsLabelEntry{16, 0, false, 1}));
    BOOST_TEST((e.mpls_labels[1] == MplsLabelEntry{100704, 5, true, 254}));
    BOOST_TEST(e.interface_total == 0U);
    // The quote is the 128-byte original datagram field, not the extension after it.
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->dst_port.value() == 33434U);
}

BOOST_AUTO_TEST_CASE(zero_checksum_means_none_was_sent) {
    const DecodedPacket p = decode(time_exceeded_with(structure(mpls({label(16, 0, true, 1)}), Sum::none)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    BOOST_TEST(p.extensions->checksum == ChecksumState::not_judged);
}

BOOST_AUTO_TEST_CASE(interface_information_is_decoded_exactly) {
    // RFC 5837: role 2 (outgoing), ifIndex, IPv4 address, name and MTU.
    const Packet info = object(
        2, 0x80 | 0x0F, concat({word(15), {0, 1, 0, 0, 192, 0, 2, 254}, name_sub_object("ge-0/0/1.0"), word(1500)}));
    const DecodedPacket p = decode(time_exceeded_with(structure(info)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    BOOST_TEST_REQUIRE(p.extensions->interface_count == 1U);
    const InterfaceInformation& i = p.extensions->interfaces[0];
    BOOST_TEST((i.role == InterfaceRole::outgoing));
    BOOST_TEST(i.if_index.value() == 15U);
    BOOST_TEST(i.address.value() == *parse_ip("192.0.2.254"));
    BOOST_TEST(i.has_name);
    BOOST_TEST((std::string_view{i.name.data(), i.name_length} == "ge-0/0/1.0"));
    BOOST_TEST(i.mtu.value() == 1500U);
}

BOOST_AUTO_TEST_CASE(interface_information_with_an_ipv6_address_only) {
    const Packet info = object(2, 0x04, concat({{0, 2, 0, 0}, test::address_bytes("2001:db8::9")}));
    const DecodedPacket p = decode(time_exceeded_with(structure(info)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    const InterfaceInformation& i = p.extensions->interfaces[0];
    BOOST_TEST((i.role == InterfaceRole::incoming));
    BOOST_TEST(!i.if_index.has_value());
    BOOST_TEST(i.address.value() == *parse_ip("2001:db8::9"));
    BOOST_TEST(!i.has_name);
    BOOST_TEST(!i.mtu.has_value());
}

BOOST_AUTO_TEST_CASE(a_63_octet_name_fills_the_name_sub_object) {
    const std::string_view name = "This-is-the-name-of-the-Interface-that-we-are-looking-for-[:-)]";
    BOOST_TEST(name.size() == 63U);
    const DecodedPacket p = decode(time_exceeded_with(structure(object(2, 0x02, name_sub_object(name)))).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    const InterfaceInformation& i = p.extensions->interfaces[0];
    BOOST_TEST((std::string_view{i.name.data(), i.name_length} == name));
}

BOOST_AUTO_TEST_CASE(other_object_classes_are_counted_not_read) {
    const Packet identification = object(3, 1, {'e', 't', 'h', '0'});  // RFC 8335 interface identification
    const DecodedPacket p =
        decode(time_exceeded_with(structure(concat({identification, mpls({label(3, 0, true, 1)})}))).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    BOOST_TEST(p.extensions->object_count == 2U);
    BOOST_TEST(p.extensions->mpls_label_count == 1U);
}

BOOST_AUTO_TEST_CASE(deep_label_stacks_and_many_interface_objects_are_counted_and_bounded) {
    Packet labels;
    for (std::uint32_t i = 0; i < 10; ++i) labels = concat({labels, label(1000 + i, 0, i == 9, 1)});
    Packet objects = object(1, 1, labels);
    for (std::uint8_t role = 0; role < 5; ++role)
        objects = concat({objects, object(2, static_cast<std::uint8_t>(((role % 4) << 6U) | 0x08), word(role))});
    const DecodedPacket p = decode(time_exceeded_with(structure(objects)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    const IcmpExtensions& e = *p.extensions;
    BOOST_TEST(e.mpls_label_total == 10U);
    BOOST_TEST(e.mpls_label_count == kMaxMplsLabels);
    BOOST_TEST(e.mpls_labels[kMaxMplsLabels - 1].label == 1000U + kMaxMplsLabels - 1);
    BOOST_TEST(e.interface_total == 5U);
    BOOST_TEST(e.interface_count == kMaxInterfaceObjects);
    BOOST_TEST(e.object_count == 6U);
}

BOOST_AUTO_TEST_CASE(icmpv6_extension_after_a_length_in_64_bit_words) {
    const DecodedPacket p =
        decode(PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7")
                   .time_exceeded()
                   .rfc4884_length(16)
                   .quote(PacketBuilder::ipv6("2001:db8:1::7", "2001:db8:2::9").hop_limit(1).udp(1, 2))
                   .pad_payload_to(128)
                   .payload(structure(mpls({label(42, 0, true, 1)})))
                   .build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    BOOST_TEST(p.extensions->mpls_labels[0].label == 42U);
}

// RFC 4884 7 and 8, RFC 4950 2.1, RFC 5837 4: every way an announced structure can be malformed.
const std::vector<Packet>& malformed_structures() {
    static const std::vector<Packet> cases{
        structure(mpls({label(1, 0, true, 1)}), Sum::wrong),                // checksum
        structure(mpls({label(1, 0, true, 1)}), Sum::computed, 1),          // version 1
        structure(mpls({label(1, 0, true, 1)}), Sum::computed, 3),          // version 3
        structure({}),                                                      // no object
        Packet{0x20, 0x00},                                                 // header cut
        structure(Packet{0x00, 0x02, 0x01, 0x01}),                          // length < 4
        structure(Packet{0x00, 0x06, 0x01, 0x01, 0x00, 0x00}),              // not whole words
        structure(Packet{0x00, 0x0C, 0x01, 0x01, 0x00, 0x00, 0x41, 0x40}),  // past the end
        structure(concat({mpls({label(1, 0, true, 1)}), {0x00, 0x00}})),    // trailing bytes
        structure(object(1, 1, {})),                                        // empty label stack
        structure(object(2, 0x08, {})),                                     // ifIndex missing
        structure(object(2, 0x04, {0, 3, 0, 0, 1, 2, 3, 4})),               // unknown AFI
        structure(object(2, 0x02, {0x00, 0, 0, 0})),                        // name length 0
        structure(object(2, 0x02, {0x05, 'a', 'b', 'c', 'd', 0, 0, 0})),    // name length 5
        structure(object(2, 0x02, concat({{68}, Packet(67, 'x')}))),        // name over 64
        structure(object(2, 0x08, concat({word(1), word(2)}))),             // bytes left over
    };
    return cases;
}

BOOST_DATA_TEST_CASE(malformed_announced_structures_are_bad_extension,
                     boost::unit_test::data::xrange(malformed_structures().size()), index) {
    const DecodedPacket p = decode(time_exceeded_with(malformed_structures()[index]).build());
    BOOST_TEST(!p.extensions.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_extension}));
    BOOST_TEST_REQUIRE(p.quoted.has_value());  // the original datagram field is still the quote
    BOOST_TEST(p.quoted->dst_port.value() == 33434U);
}

BOOST_AUTO_TEST_CASE(a_length_attribute_with_nothing_after_it_is_not_an_extension) {
    const DecodedPacket p = decode(time_exceeded_with({}).build());
    BOOST_TEST(!p.extensions.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(a_structure_cut_by_the_capture_is_not_judged) {
    const Packet whole = time_exceeded_with(structure(mpls({label(1, 0, true, 1)}), Sum::wrong)).build();
    const DecodedPacket p =
        decode(test::cut(whole, whole.size() - 2),
               {.checksum_verifiable = true, .wire_length = static_cast<std::uint32_t>(whole.size())});
    BOOST_TEST(!p.extensions.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

// RFC 4884 5: MPLS-aware routers older than RFC 4884 append the structure after 128 octets
// without a length attribute; it is recognised by its version and a checksum that verifies.

BOOST_AUTO_TEST_CASE(unannounced_extension_at_128_octets_is_decoded) {
    const DecodedPacket p = decode(time_exceeded_with(structure(mpls({label(100704, 0, true, 1)})), 0).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST(!p.rfc4884_length.has_value());
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    BOOST_TEST(!p.extensions->from_length_attribute);
    BOOST_TEST(p.extensions->mpls_labels[0].label == 100704U);
}

BOOST_AUTO_TEST_CASE(unannounced_bytes_that_do_not_verify_are_original_datagram) {
    for (const Sum sum : {Sum::wrong, Sum::none}) {
        const DecodedPacket p = decode(time_exceeded_with(structure(mpls({label(1, 0, true, 1)}), sum), 0).build());
        BOOST_TEST(!p.extensions.has_value());
        BOOST_TEST(p.anomalies == anomaly_set({}));
    }
}

BOOST_AUTO_TEST_CASE(unannounced_structure_that_verifies_but_is_malformed_is_bad_extension) {
    // The checksum proves it is an extension structure; its object runs past the end.
    const DecodedPacket p =
        decode(time_exceeded_with(structure(Packet{0x00, 0x10, 0x01, 0x01, 0, 0, 0x41, 0x40}), 0).build());
    BOOST_TEST(!p.extensions.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_extension}));
}

BOOST_AUTO_TEST_CASE(unannounced_extensions_are_not_looked_for_in_icmpv6) {
    const DecodedPacket p =
        decode(PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7")
                   .time_exceeded()
                   .quote(PacketBuilder::ipv6("2001:db8:1::7", "2001:db8:2::9").hop_limit(1).udp(1, 2))
                   .pad_payload_to(128)
                   .payload(structure(mpls({label(42, 0, true, 1)})))
                   .build());
    BOOST_TEST(!p.extensions.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(informational_messages_carry_no_extension) {
    const DecodedPacket p = decode(PacketBuilder::ipv4(kRouter4, kHost4)
                                       .echo_reply(1, 1)
                                       .pad_payload_to(128)
                                       .payload(structure(mpls({label(42, 0, true, 1)})))
                                       .build());
    BOOST_TEST(!p.extensions.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(decode_extension_structure_reports_what_it_read) {
    const Packet bytes = structure(concat({mpls({label(7, 1, true, 9)}), object(2, 0x01, word(9000))}));
    IcmpExtensions e;
    BOOST_TEST(decode_extension_structure(bytes, e));
    BOOST_TEST(e.object_count == 2U);
    BOOST_TEST(e.interfaces[0].mtu.value() == 9000U);
    IcmpExtensions bad;
    BOOST_TEST(!decode_extension_structure(Packet{0x20, 0x00, 0x00}, bad));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
