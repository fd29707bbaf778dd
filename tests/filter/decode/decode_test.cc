#include "filter/decode/decode.h"

#include <boost/test/unit_test.hpp>
#include <utility>

#include "tests/support/address.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::decode {
namespace {

using test::anomaly_set;
using test::Packet;
using test::PacketBuilder;

static_assert(noexcept(decode_packet(std::declval<Bytes>(), std::declval<const DecodeOptions&>())));

using icmpgate::test::ip;

}  // namespace

BOOST_AUTO_TEST_SUITE(decode)

BOOST_AUTO_TEST_CASE(frag_needed_decodes_to_exactly_this_value) {
    const Packet bytes =
        PacketBuilder::ipv4("192.0.2.1", "198.51.100.7")
            .ttl(250)
            .frag_needed(1400)
            .quote(
                PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").ttl(60).df().tcp(44321, 443, 77).total_length(1500),
                28)
            .build();
    DecodedPacket expected;
    expected.is_icmp = true;
    expected.is_ip = true;
    expected.family = Family::ipv4;
    expected.src = ip("192.0.2.1");
    expected.dst = ip("198.51.100.7");
    expected.ttl = 250;
    expected.protocol = 1;
    expected.has_src = true;
    expected.has_dst = true;
    expected.has_protocol = true;
    expected.ip_length = 56;
    expected.has_icmp_header = true;
    expected.icmp_type = 3;
    expected.icmp_code = 4;
    expected.icmp_checksum = static_cast<std::uint16_t>((bytes[22] << 8U) | bytes[23]);
    expected.payload_size = 28;
    expected.checksum = ChecksumState::valid;
    expected.mtu = 1400;
    QuotedPacket q;
    q.family = Family::ipv4;
    q.protocol = 6;
    q.src = ip("198.51.100.7");
    q.dst = ip("203.0.113.9");
    q.total_length = 1500;
    q.ttl = 60;
    q.dont_fragment = true;
    q.header_length = 20;
    q.transport_complete = true;
    q.src_port = 44321;
    q.dst_port = 443;
    q.tcp_sequence = 77;
    expected.quoted = q;
    BOOST_TEST((decode_packet(bytes, {}) == expected));
}

BOOST_AUTO_TEST_CASE(packet_too_big_decodes_to_exactly_this_value) {
    const Packet bytes =
        PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7")
            .packet_too_big(1400)
            .quote(PacketBuilder::ipv6("2001:db8:1::7", "2001:db8:2::9").hop_limit(63).udp(5000, 53, 1452))
            .build();
    const DecodedPacket p = decode_packet(bytes, {});
    BOOST_TEST(p.ip_length == 40U + 8U + 1500U);
    BOOST_TEST(p.payload_size == 1500U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.mtu.value() == 1400U);
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->total_length == 1500U);
    BOOST_TEST(p.quoted->dst_port.value() == 53U);
    // 1548 bytes: an over-long v6 error (RFC 4443 2.4(c)), which only the opt-in check notices.
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::oversized_error}));
}

BOOST_AUTO_TEST_CASE(truncated_packet_is_never_judged_on_its_checksum) {
    const Packet bytes =
        PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").echo_request(1, 1).bad_checksum().total_length(29).build();
    const DecodedPacket p = decode_packet(bytes, {});
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(checksum_not_ready_skips_the_check_in_both_families) {
    const DecodeOptions not_ready{.checksum_verifiable = false};
    const DecodedPacket p4 = decode_packet(
        PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").echo_request(1, 1).bad_checksum().build(), not_ready);
    const DecodedPacket p6 = decode_packet(
        PacketBuilder::ipv6("2001:db8::1", "2001:db8::2").echo_request(1, 1).bad_checksum().build(), not_ready);
    BOOST_TEST(p4.checksum == ChecksumState::not_judged);
    BOOST_TEST(p6.checksum == ChecksumState::not_judged);
    BOOST_TEST(p4.anomalies == anomaly_set({}));
    BOOST_TEST(p6.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(error_with_bad_checksum_still_decodes_its_quote) {
    const Packet bytes = PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
                             .time_exceeded()
                             .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").udp(1, 2))
                             .bad_checksum()
                             .build();
    const DecodedPacket p = decode_packet(bytes, {});
    BOOST_TEST(p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_checksum}));
}

BOOST_AUTO_TEST_CASE(error_without_any_quote_is_bad_embedded) {
    const DecodedPacket p =
        decode_packet(PacketBuilder::ipv6("2001:db8::1", "2001:db8::2").time_exceeded().build(), {});
    BOOST_TEST(!p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_embedded}));
}

BOOST_AUTO_TEST_CASE(frag_needed_without_quote_reports_bad_embedded_and_judges_only_the_mtu_range) {
    const DecodedPacket plausible =
        decode_packet(PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").frag_needed(1400).build(), {});
    BOOST_TEST(plausible.anomalies == anomaly_set({Anomaly::bad_embedded}));
    const DecodedPacket tiny =
        decode_packet(PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").frag_needed(8).build(), {});
    BOOST_TEST(tiny.anomalies == anomaly_set({Anomaly::bad_embedded, Anomaly::implausible_mtu}));
}

BOOST_AUTO_TEST_CASE(first_fragment_of_an_error_decodes_its_quote) {
    const Packet bytes = PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
                             .mf()
                             .port_unreachable()
                             .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").udp(1, 2))
                             .build();
    const DecodedPacket p = decode_packet(bytes, {});
    BOOST_TEST(p.is_fragment);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.quoted.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(mld_report_with_hop_limit_255_is_bad_hop_limit) {
    const DecodedPacket p =
        decode_packet(PacketBuilder::ipv6("fe80::2", "ff02::16").hop_limit(255).hop_by_hop().icmp(143).build(), {});
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_hop_limit}));
}

BOOST_AUTO_TEST_CASE(v6_error_quoting_multicast_decodes_with_quoted_multicast) {
    const Packet bytes = PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7")
                             .port_unreachable()
                             .quote(PacketBuilder::ipv6("2001:db8:1::7", "ff05::1:3").udp(546, 547))
                             .build();
    BOOST_TEST(decode_packet(bytes, {}).anomalies == anomaly_set({Anomaly::quoted_multicast}));
}

BOOST_AUTO_TEST_CASE(rfc4884_time_exceeded_with_extension_is_clean) {
    const Packet bytes = PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
                             .time_exceeded()
                             .rfc4884_length(32)
                             .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").udp(33000, 33434))
                             .pad_payload_to(128)
                             .payload({0x20, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x41, 0xFF})
                             .build();
    const DecodedPacket p = decode_packet(bytes, {});
    BOOST_TEST(p.rfc4884_length.value() == 128U);
    BOOST_TEST(p.payload_size == 140U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(rfc4884_length_past_the_message_is_bad_extension) {
    const Packet bytes = PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
                             .time_exceeded()
                             .rfc4884_length(33)
                             .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").udp(33000, 33434))
                             .pad_payload_to(128)
                             .build();
    BOOST_TEST(decode_packet(bytes, {}).anomalies == anomaly_set({Anomaly::bad_extension}));
}

BOOST_AUTO_TEST_CASE(unassigned_types_decode_without_unknown_type) {
    // unknown-type belongs to the engine, which owns the IANA catalogue.
    const DecodedPacket p4 = decode_packet(PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").icmp(99, 7).build(), {});
    const DecodedPacket p6 = decode_packet(PacketBuilder::ipv6("2001:db8::1", "2001:db8::2").icmp(250, 1).build(), {});
    BOOST_TEST(p4.icmp_type == 99U);
    BOOST_TEST(p4.anomalies == anomaly_set({}));
    BOOST_TEST(p6.icmp_type == 250U);
    BOOST_TEST(p6.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
