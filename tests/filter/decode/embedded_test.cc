#include "filter/decode/embedded.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "filter/decode/decode.h"
#include "filter/decode/icmp_types.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::decode {
namespace {

using test::anomaly_set;
using test::Packet;
using test::PacketBuilder;

// A router (203.0.113.1) reports about a packet the host 198.51.100.7 sent to 203.0.113.9.
constexpr const char* kRouter4 = "203.0.113.1";
constexpr const char* kHost4 = "198.51.100.7";
constexpr const char* kServer4 = "203.0.113.9";
constexpr const char* kRouter6 = "2001:db8:ff::1";
constexpr const char* kHost6 = "2001:db8:1::7";
constexpr const char* kServer6 = "2001:db8:2::9";

PacketBuilder error4() {
    return PacketBuilder::ipv4(kRouter4, kHost4).time_exceeded();
}
PacketBuilder error6() {
    return PacketBuilder::ipv6(kRouter6, kHost6).time_exceeded();
}
PacketBuilder sent4() {
    return PacketBuilder::ipv4(kHost4, kServer4).ttl(1);
}
PacketBuilder sent6() {
    return PacketBuilder::ipv6(kHost6, kServer6).hop_limit(1);
}

DecodedPacket decode(const Packet& bytes) {
    return decode_packet(bytes, {});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(embedded)

BOOST_AUTO_TEST_CASE(frag_needed_quoting_tcp_exposes_every_quoted_field) {
    const Packet bytes = PacketBuilder::ipv4(kRouter4, kHost4)
                             .frag_needed(1400)
                             .quote(sent4().ttl(63).df().tcp(44321, 443, 0xA1B2C3D4).total_length(1500), 28)
                             .build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    const QuotedPacket& q = *p.quoted;
    BOOST_TEST(q.family == Family::ipv4);
    BOOST_TEST(q.protocol == 6U);
    BOOST_TEST(q.src == *parse_ip(kHost4));
    BOOST_TEST(q.dst == *parse_ip(kServer4));
    BOOST_TEST(q.total_length == 1500U);  // declared, far beyond the 28 bytes quoted: normal (R7)
    BOOST_TEST(q.ttl == 63U);
    BOOST_TEST(q.dont_fragment);
    BOOST_TEST(!q.more_fragments);
    BOOST_TEST(q.fragment_offset == 0U);
    BOOST_TEST(!q.has_fragment_header);
    BOOST_TEST(q.header_length == 20U);
    BOOST_TEST(q.transport_complete);
    BOOST_TEST_REQUIRE(q.src_port.has_value());
    BOOST_TEST(*q.src_port == 44321U);
    BOOST_TEST_REQUIRE(q.dst_port.has_value());
    BOOST_TEST(*q.dst_port == 443U);
    BOOST_TEST_REQUIRE(q.tcp_sequence.has_value());
    BOOST_TEST(*q.tcp_sequence == 0xA1B2C3D4U);
    BOOST_TEST(!q.icmp.has_value());
}

BOOST_AUTO_TEST_CASE(quoted_udp_has_ports_and_no_sequence) {
    const DecodedPacket p = decode(error4().quote(sent4().udp(53000, 33434, 12)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->protocol == 17U);
    BOOST_TEST(p.quoted->src_port.value() == 53000U);
    BOOST_TEST(p.quoted->dst_port.value() == 33434U);
    BOOST_TEST(!p.quoted->tcp_sequence.has_value());
}

BOOST_DATA_TEST_CASE(ports_are_read_for_every_port_protocol, boost::unit_test::data::make({6, 17, 33, 132, 136}),
                     proto) {
    const DecodedPacket p =
        decode(error4().quote(sent4().transport(static_cast<std::uint8_t>(proto), 1111, 2222)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->src_port.value() == 1111U);
    BOOST_TEST(p.quoted->dst_port.value() == 2222U);
}

BOOST_DATA_TEST_CASE(other_protocols_have_no_ports, boost::unit_test::data::make({47, 50, 89}), proto) {
    const DecodedPacket p =
        decode(error4().quote(sent4().transport(static_cast<std::uint8_t>(proto), 1111, 2222)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->transport_complete);
    BOOST_TEST(!p.quoted->src_port.has_value());
    BOOST_TEST(!p.quoted->dst_port.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(time_exceeded_quoting_an_echo_request_is_legal) {
    // traceroute -I: errors about echo requests are not errors about errors (RFC 1122 3.2.2).
    const DecodedPacket p = decode(error4().quote(sent4().echo_request(0x4242, 9).payload_zeros(32)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->protocol == 1U);
    BOOST_TEST_REQUIRE(p.quoted->icmp.has_value());
    BOOST_TEST(p.quoted->icmp->type == 8U);
    BOOST_TEST(p.quoted->icmp->code == 0U);
    BOOST_TEST_REQUIRE(p.quoted->icmp->echo.has_value());
    BOOST_TEST(p.quoted->icmp->echo->id == 0x4242U);
    BOOST_TEST(p.quoted->icmp->echo->sequence == 9U);
}

BOOST_AUTO_TEST_CASE(v6_time_exceeded_quoting_an_echo_request_is_legal) {
    const DecodedPacket p = decode(error6().quote(sent6().echo_request(7, 8)).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->icmp.value().type == 128U);
    BOOST_TEST(p.quoted->icmp->echo.value().id == 7U);
}

BOOST_AUTO_TEST_CASE(quoted_icmp_of_the_other_family_is_not_decoded_as_icmp) {
    const DecodedPacket p = decode(error4().quote(sent4().echo_request(1, 1).protocol(58)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->protocol == 58U);
    BOOST_TEST(!p.quoted->icmp.has_value());
}

BOOST_AUTO_TEST_CASE(nested_quote_is_an_error_about_an_error_decoded_one_level_deep) {
    const PacketBuilder inner_error = PacketBuilder::ipv4(kHost4, kServer4)
                                          .port_unreachable()
                                          .quote(PacketBuilder::ipv4(kServer4, kHost4).udp(53, 40000));
    const DecodedPacket p = decode(error4().quote(inner_error).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->icmp.value().type == 3U);
    BOOST_TEST(p.quoted->icmp->code == 3U);
    BOOST_TEST(!p.quoted->icmp->echo.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::error_about_error}));
}

BOOST_AUTO_TEST_CASE(quoted_ipv4_options_are_skipped) {
    const DecodedPacket p = decode(error4().quote(sent4().ipv4_options({1, 1, 1, 1}).udp(1000, 2000)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->header_length == 24U);
    BOOST_TEST(p.quoted->src_port.value() == 1000U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(quoted_ipv4_options_cut_is_bad_embedded) {
    const DecodedPacket p = decode(error4().quote(sent4().ipv4_options(Packet(40, 1)).udp(1000, 2000), 50).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(quoted_ihl_below_five_is_bad_embedded) {
    const DecodedPacket p = decode(error4().quote(sent4().udp(1, 2).ihl(4)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(v6_quote_walks_its_extension_chain) {
    const DecodedPacket p =
        decode(error6()
                   .quote(sent6().hop_by_hop().routing(2, 0, {"2001:db8::4"}).destination_options().udp(5353, 5353))
                   .build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    const QuotedPacket& q = *p.quoted;
    BOOST_TEST(q.family == Family::ipv6);
    BOOST_TEST(q.protocol == 17U);
    BOOST_TEST(q.header_length == 40U + 8U + 24U + 8U);
    BOOST_TEST(q.total_length == 40U + 8U + 24U + 8U + 8U);
    BOOST_TEST(q.ttl == 1U);
    BOOST_TEST(!q.dont_fragment);
    BOOST_TEST(q.src == *parse_ip(kHost6));
    BOOST_TEST(q.dst == *parse_ip(kServer6));
    BOOST_TEST(q.src_port.value() == 5353U);
}

BOOST_DATA_TEST_CASE(v6_chain_cut_inside_the_quote_is_bad_embedded, boost::unit_test::data::xrange(40, 64), keep) {
    // Hop-by-hop (8) + destination options (16) end at byte 64 of the quoted packet.
    const DecodedPacket p = decode(
        error6().quote(sent6().hop_by_hop().destination_options(1).udp(1, 2), static_cast<std::size_t>(keep)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(v6_quote_with_seventeen_extension_headers_is_bad_embedded) {
    PacketBuilder sent = sent6();
    for (int i = 0; i < 17; ++i) sent.destination_options();
    const DecodedPacket p = decode(error6().quote(sent.udp(1, 2)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(quote_of_the_other_family_is_bad_embedded) {
    const DecodedPacket p4 = decode(error4().quote(sent6().udp(1, 2)).build());
    BOOST_TEST(!p4.quoted.has_value());
    BOOST_TEST(p4.anomalies == anomaly_set({Anomaly::bad_embedded}));
    const DecodedPacket p6 = decode(error6().quote(sent4().udp(1, 2)).build());
    BOOST_TEST(!p6.quoted.has_value());
    BOOST_TEST(p6.anomalies.test(Anomaly::bad_embedded));
}

BOOST_AUTO_TEST_CASE(quote_that_is_not_ip_is_bad_embedded) {
    const DecodedPacket p = decode(error4().quote_bytes(Packet(28, 0x00)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_DATA_TEST_CASE(every_v4_quote_length_decodes_and_is_bad_embedded_below_28, boost::unit_test::data::xrange(0, 49),
                     length) {
    const auto n = static_cast<std::size_t>(length);
    const DecodedPacket p = decode(error4().quote(sent4().tcp(1234, 80, 0x11223344).payload_zeros(20), n).build());
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.quoted.has_value() == (n >= 20));
    BOOST_TEST(p.anomalies.test(Anomaly::bad_embedded) == (n < 28));
    if (p.quoted) {
        BOOST_TEST(p.quoted->transport_complete == (n >= 28));
        BOOST_TEST(p.quoted->src_port.has_value() == (n >= 24));
        BOOST_TEST(p.quoted->dst_port.has_value() == (n >= 24));
        BOOST_TEST(p.quoted->tcp_sequence.has_value() == (n >= 28));
    }
}

BOOST_DATA_TEST_CASE(every_v6_quote_length_decodes_and_is_bad_embedded_below_48, boost::unit_test::data::xrange(0, 57),
                     length) {
    const auto n = static_cast<std::size_t>(length);
    const DecodedPacket p = decode(error6().quote(sent6().udp(1234, 80, 8), n).build());
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.quoted.has_value() == (n >= 40));
    BOOST_TEST(p.anomalies.test(Anomaly::bad_embedded) == (n < 48));
    if (p.quoted) {
        BOOST_TEST(p.quoted->transport_complete == (n >= 48));
        BOOST_TEST(p.quoted->src_port.has_value() == (n >= 44));
    }
}

BOOST_DATA_TEST_CASE(quoted_icmp_type_needs_two_bytes_and_echo_needs_eight, boost::unit_test::data::xrange(20, 29),
                     length) {
    const auto n = static_cast<std::size_t>(length);
    const DecodedPacket p = decode(error4().quote(sent4().echo_request(5, 6), n).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->icmp.has_value() == (n >= 22));
    if (p.quoted->icmp) BOOST_TEST(p.quoted->icmp->echo.has_value() == (n >= 28));
}

BOOST_AUTO_TEST_CASE(quoted_non_first_v4_fragment_has_no_transport_fields) {
    const DecodedPacket p = decode(error4().quote(sent4().fragment_offset(100).udp(1, 2)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->fragment_offset == 100U);
    BOOST_TEST(p.quoted->has_fragment_header);
    BOOST_TEST(p.quoted->transport_complete);
    BOOST_TEST(!p.quoted->src_port.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::quoted_fragment}));
}

BOOST_AUTO_TEST_CASE(quoted_first_v4_fragment_keeps_transport_fields) {
    const DecodedPacket p = decode(error4().quote(sent4().mf().udp(1, 2)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->more_fragments);
    BOOST_TEST(p.quoted->has_fragment_header);
    BOOST_TEST(p.quoted->src_port.value() == 1U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(quoted_non_first_v6_fragment_has_no_transport_fields) {
    const DecodedPacket p =
        decode(error6().quote(sent6().fragment_header(20, true).raw_upper(17, Packet(16, 7))).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->has_fragment_header);
    BOOST_TEST(p.quoted->fragment_offset == 20U);
    BOOST_TEST(p.quoted->more_fragments);
    BOOST_TEST(p.quoted->protocol == 17U);
    BOOST_TEST(p.quoted->header_length == 48U);
    BOOST_TEST(!p.quoted->src_port.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::quoted_fragment}));
}

BOOST_AUTO_TEST_CASE(quoted_first_v6_fragment_keeps_transport_fields) {
    const DecodedPacket p = decode(error6().quote(sent6().fragment_header(0, true).udp(9, 10)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->has_fragment_header);
    BOOST_TEST(p.quoted->fragment_offset == 0U);
    BOOST_TEST(p.quoted->dst_port.value() == 10U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(valid_rfc4884_length_bounds_the_original_datagram) {
    // A 128-byte original datagram field holding 40 + 88 bytes of v6 headers, then an extension
    // structure: the UDP header is not in the field, so the extension must not be read as ports.
    PacketBuilder sent = sent6();
    for (int i = 0; i < 11; ++i) sent.destination_options();
    const DecodedPacket p =
        decode(PacketBuilder::ipv6(kRouter6, kHost6)
                   .port_unreachable()
                   .rfc4884_length(16)
                   .quote(sent.udp(1, 2), 128)
                   // Version 2, no checksum; an MPLS label stack of one entry.
                   .payload({0x20, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, 0x00, 0x06, 0x41, 0x40})
                   .build());
    BOOST_TEST_REQUIRE(p.rfc4884_length.has_value());
    BOOST_TEST(*p.rfc4884_length == 128U);
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->header_length == 128U);
    BOOST_TEST(!p.quoted->transport_complete);
    BOOST_TEST(!p.quoted->src_port.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
    BOOST_TEST_REQUIRE(p.extensions.has_value());
    BOOST_TEST(p.extensions->mpls_labels[0].label == 100U);
}

BOOST_AUTO_TEST_CASE(invalid_rfc4884_length_does_not_bound_the_quote) {
    const DecodedPacket p = decode(error4().rfc4884_length(1).quote(sent4().udp(1, 2)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->src_port.value() == 1U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_extension}));
}

BOOST_AUTO_TEST_CASE(informational_messages_have_no_quote) {
    const DecodedPacket p =
        decode(PacketBuilder::ipv4(kRouter4, kHost4).echo_reply(1, 1).quote(sent4().udp(1, 2)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(quoted_checksums_are_not_validated) {
    const DecodedPacket p = decode(error4().quote(sent4().bad_ip_checksum().echo_request(1, 1).bad_checksum()).build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(transport_decoding_is_the_same_for_both_families) {
    const Packet upper{0x04, 0xD2, 0x00, 0x50, 0x00, 0x00, 0x00, 0x2A};
    QuotedPacket v4;
    v4.family = Family::ipv4;
    v4.protocol = kIpProtoTcp;
    QuotedPacket v6 = v4;
    v6.family = Family::ipv6;
    BOOST_TEST(decode_quoted_transport(v4, upper));
    BOOST_TEST(decode_quoted_transport(v6, upper));
    BOOST_TEST(v4.src_port.value() == 1234U);
    BOOST_TEST(v4.dst_port.value() == 80U);
    BOOST_TEST(v4.tcp_sequence.value() == 42U);
    BOOST_TEST((v4.src_port == v6.src_port && v4.dst_port == v6.dst_port && v4.tcp_sequence == v6.tcp_sequence));
}

BOOST_DATA_TEST_CASE(quote_cut_by_the_capture_is_not_bad_embedded, boost::unit_test::data::xrange(28, 56), keep) {
    // The error is 56 bytes on the wire; the capture kept only `keep` of them.
    const Packet whole = error4().quote(sent4().udp(1, 2)).build();
    const DecodedPacket p = decode_packet(test::cut(whole, static_cast<std::size_t>(keep)),
                                          {.checksum_verifiable = true, .wire_length = 56});
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(quote_of_the_other_family_cut_by_the_capture_is_still_bad_embedded) {
    const Packet whole = error4().quote(sent6().udp(1, 2)).build();
    const DecodedPacket p = decode_packet(
        test::cut(whole, 40), {.checksum_verifiable = true, .wire_length = static_cast<std::uint32_t>(whole.size())});
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(decode_quote_tells_running_out_of_bytes_from_malformed) {
    std::optional<QuotedPacket> quoted;
    const Packet udp = sent4().udp(1, 2).build();
    const QuoteDecode short_transport = decode_quote(Family::ipv4, Bytes{udp.data(), 27}, quoted);
    BOOST_TEST(short_transport.bad_embedded);
    BOOST_TEST(short_transport.ran_out);
    BOOST_TEST(quoted.has_value());  // the IP header decoded; only the transport bytes ran out
    const QuoteDecode short_header = decode_quote(Family::ipv4, Bytes{udp.data(), 19}, quoted);
    BOOST_TEST(short_header.ran_out);
    BOOST_TEST(!quoted.has_value());  // a second call on the same target leaves nothing stale
    const Packet bad_ihl = sent4().udp(1, 2).ihl(3).build();
    const QuoteDecode malformed = decode_quote(Family::ipv4, bad_ihl, quoted);
    BOOST_TEST(malformed.bad_embedded);
    BOOST_TEST(!malformed.ran_out);
    const Packet v6 = sent6().hop_by_hop().udp(1, 2).build();
    BOOST_TEST(decode_quote(Family::ipv6, Bytes{v6.data(), 44}, quoted).ran_out);
    BOOST_TEST(!decode_quote(Family::ipv4, v6, quoted).ran_out);
    BOOST_TEST(decode_quote(Family::ipv4, Bytes{}, quoted).ran_out);
}

// The quote is read over min(bytes present, the quoted datagram's declared length).

BOOST_AUTO_TEST_CASE(quoted_total_length_below_the_header_is_bad_embedded_and_reads_no_ports) {
    // Total Length 15 < IHL x 4 = 20: the bytes after the header are not the datagram's, so
    // the TCP ports in them are not reported.
    const DecodedPacket p = decode(error4().quote(sent4().tcp(44321, 443).total_length(15)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(quoted_total_length_below_the_header_is_bad_embedded_even_in_a_cut_capture) {
    const Packet whole = error4().quote(sent4().tcp(44321, 443).total_length(15)).build();
    const DecodedPacket p =
        decode_packet(test::cut(whole, whole.size() - 4),
                      {.checksum_verifiable = true, .wire_length = static_cast<std::uint32_t>(whole.size())});
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));  // the datagram's fault, not the capture's
}

BOOST_DATA_TEST_CASE(quoted_total_length_bounds_the_transport_fields, boost::unit_test::data::xrange(20, 29), total) {
    // A TCP segment quoted whole (40 bytes), its header declaring only `total` bytes.
    const auto declared = static_cast<std::uint16_t>(total);
    const DecodedPacket p = decode(error4().quote(sent4().tcp(44321, 443, 0x0A0B0C0D).total_length(declared)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->total_length == declared);
    BOOST_TEST(p.quoted->src_port.has_value() == (declared >= 24));
    BOOST_TEST(p.quoted->tcp_sequence.has_value() == (declared >= 28));
    BOOST_TEST(p.quoted->transport_complete == (declared >= 28));
    BOOST_TEST(p.anomalies.test(Anomaly::bad_embedded) == (declared < 28));
}

BOOST_AUTO_TEST_CASE(quoted_icmp_past_its_total_length_is_not_read) {
    // An echo request declaring 22 bytes: type and code are the datagram's, the identifier is not.
    const DecodedPacket p = decode(error4().quote(sent4().echo_request(5, 6).total_length(22)).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST_REQUIRE(p.quoted->icmp.has_value());
    BOOST_TEST(p.quoted->icmp->type == 8U);
    BOOST_TEST(!p.quoted->icmp->echo.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(quoted_total_length_beyond_the_bytes_present_stays_legal) {
    const DecodedPacket p = decode(error4().quote(sent4().udp(53000, 33434).total_length(9000), 28).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->total_length == 9000U);
    BOOST_TEST(p.quoted->dst_port.value() == 33434U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(quoted_payload_length_bounds_the_v6_extension_walk) {
    // Payload Length 12 covers the hop-by-hop header (8) and 4 bytes of the destination
    // options header: the walk stops there instead of going on to the SCTP ports.
    const DecodedPacket p =
        decode(error6()
                   .quote(sent6().hop_by_hop().destination_options().transport(132, 5060, 5061).payload_length(12))
                   .build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(quoted_payload_length_bounds_the_v6_transport_fields) {
    // The chain (16 bytes) fits Payload Length 20, which leaves 4 of the 8 SCTP bytes.
    const DecodedPacket p =
        decode(error6()
                   .quote(sent6().hop_by_hop().destination_options().transport(132, 5060, 5061).payload_length(20))
                   .build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->protocol == 132U);
    BOOST_TEST(p.quoted->total_length == 60U);
    BOOST_TEST(p.quoted->src_port.value() == 5060U);
    BOOST_TEST(!p.quoted->transport_complete);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(quoted_payload_length_beyond_the_bytes_present_stays_legal) {
    const DecodedPacket p =
        decode(error6().quote(sent6().hop_by_hop().transport(132, 5060, 5061).payload_length(1400), 56).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->total_length == 1440U);
    BOOST_TEST(p.quoted->dst_port.value() == 5061U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(quoted_jumbogram_declares_its_jumbo_payload_length) {
    const DecodedPacket p = decode(PacketBuilder::ipv6(kRouter6, kHost6)
                                       .packet_too_big(65536)
                                       .quote(sent6().jumbo_payload().echo_request(5, 6).payload_zeros(70000), 1232)
                                       .build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->total_length == 40U + 8U + 8U + 70000U);
    BOOST_TEST(p.quoted->header_length == 48U);
    BOOST_TEST(p.quoted->protocol == 58U);
    BOOST_TEST(p.quoted->icmp.value().echo.value() == (Echo{5, 6}));
    BOOST_TEST(p.anomalies == anomaly_set({}));  // MTU 65536 below the quoted 70056 bytes
}

BOOST_AUTO_TEST_CASE(quoted_payload_length_zero_without_jumbo_option_is_bad_embedded) {
    const DecodedPacket p = decode(error6().quote(sent6().hop_by_hop().udp(5000, 53).payload_length(0)).build());
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(decode_quote_tells_a_short_declared_length_from_running_out) {
    std::optional<QuotedPacket> quoted;
    // v6 chain cut by its own Payload Length: malformed, even though the bytes go on.
    const Packet v6 = sent6().hop_by_hop().destination_options().udp(1, 2).payload_length(12).build();
    const QuoteDecode by_declared = decode_quote(Family::ipv6, v6, quoted);
    BOOST_TEST(by_declared.bad_embedded);
    BOOST_TEST(!by_declared.ran_out);
    // The same chain cut where the bytes end, its declared length intact: ran out.
    const Packet whole = sent6().hop_by_hop().destination_options().udp(1, 2).build();
    BOOST_TEST(decode_quote(Family::ipv6, Bytes{whole.data(), 52}, quoted).ran_out);
    // Fewer than 8 upper-layer bytes declared: malformed; fewer present: ran out.
    const Packet v4 = sent4().udp(1, 2).total_length(24).build();
    const QuoteDecode short_declared = decode_quote(Family::ipv4, v4, quoted);
    BOOST_TEST(short_declared.bad_embedded);
    BOOST_TEST(!short_declared.ran_out);
    const Packet v4_whole = sent4().udp(1, 2).build();
    BOOST_TEST(decode_quote(Family::ipv4, Bytes{v4_whole.data(), 24}, quoted).ran_out);
}

BOOST_AUTO_TEST_CASE(decode_quote_reports_empty_quote_as_bad_embedded) {
    std::optional<QuotedPacket> quoted;
    const QuoteDecode q = decode_quote(Family::ipv4, Bytes{}, quoted);
    BOOST_TEST(q.bad_embedded);
    BOOST_TEST(!quoted.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
