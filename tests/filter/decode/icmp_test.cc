#include "filter/decode/icmp.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "filter/decode/decode.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::decode {
namespace {

using test::anomaly_set;
using test::Packet;
using test::PacketBuilder;

PacketBuilder v4() {
    return PacketBuilder::ipv4("192.0.2.1", "198.51.100.7");
}
PacketBuilder v6() {
    return PacketBuilder::ipv6("2001:db8::1", "2001:db8::2");
}

DecodedPacket decode(const Packet& bytes, DecodeOptions options = {}) {
    return decode_packet(bytes, options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(icmp)

BOOST_DATA_TEST_CASE(v4_echo_like_types_carry_id_and_sequence,
                     boost::unit_test::data::make({0, 8, 13, 14, 15, 16, 17, 18}), type) {
    const DecodedPacket p = decode(v4().icmp(static_cast<std::uint8_t>(type)).echo_fields(0xABCD, 0x0102).build());
    BOOST_TEST(p.icmp_type == static_cast<std::uint8_t>(type));
    BOOST_TEST_REQUIRE(p.echo.has_value());
    BOOST_TEST(p.echo->id == 0xABCDU);
    BOOST_TEST(p.echo->sequence == 0x0102U);
}

BOOST_DATA_TEST_CASE(v6_echo_types_carry_id_and_sequence, boost::unit_test::data::make({128, 129}), type) {
    const DecodedPacket p = decode(v6().icmp(static_cast<std::uint8_t>(type)).echo_fields(0x0BAD, 0xF00D).build());
    BOOST_TEST_REQUIRE(p.echo.has_value());
    BOOST_TEST(p.echo->id == 0x0BADU);
    BOOST_TEST(p.echo->sequence == 0xF00DU);
}

BOOST_AUTO_TEST_CASE(v4_extended_echo_has_an_8_bit_sequence) {
    // RFC 8335 2.1: octet 6 is the sequence number, octet 7 holds the L bit.
    const DecodedPacket p = decode(v4().icmp(42).echo_fields(0x0101, 0x0501).build());
    BOOST_TEST_REQUIRE(p.echo.has_value());
    BOOST_TEST(p.echo->id == 0x0101U);
    BOOST_TEST(p.echo->sequence == 0x05U);
}

BOOST_DATA_TEST_CASE(v6_extended_echo_has_an_8_bit_sequence, boost::unit_test::data::make({160, 161}), type) {
    const DecodedPacket p = decode(v6().icmp(static_cast<std::uint8_t>(type)).echo_fields(0x0202, 0x0900).build());
    BOOST_TEST_REQUIRE(p.echo.has_value());
    BOOST_TEST(p.echo->id == 0x0202U);
    BOOST_TEST(p.echo->sequence == 0x09U);
}

BOOST_DATA_TEST_CASE(other_types_have_no_echo_fields, boost::unit_test::data::make({3, 5, 9, 11, 12}), type) {
    const DecodedPacket p = decode(v4().icmp(static_cast<std::uint8_t>(type)).echo_fields(1, 2).build());
    BOOST_TEST(!p.echo.has_value());
}

BOOST_AUTO_TEST_CASE(v4_frag_needed_reads_the_16_bit_mtu_at_offset_6) {
    const DecodedPacket p = decode(v4().frag_needed(1400).build());
    BOOST_TEST(p.icmp_type == 3U);
    BOOST_TEST(p.icmp_code == 4U);
    BOOST_TEST_REQUIRE(p.mtu.has_value());
    BOOST_TEST(*p.mtu == 1400U);
}

// RFC 1191 4 / RFC 4884 4.1: of the high 16 bits of Frag Needed's second word, the fifth octet
// stays unused and must be zero; the sixth is the RFC 4884 length attribute.
PacketBuilder frag_needed_about_tcp(std::uint32_t second_word) {
    return v4()
        .frag_needed(1400)
        .rest_of_header(second_word)
        .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").df().tcp(1, 2).total_length(1500), 28);
}

BOOST_AUTO_TEST_CASE(v4_frag_needed_with_its_unused_octet_set_is_implausible) {
    const DecodedPacket p = decode(frag_needed_about_tcp(0x01'00'05'78).build());
    BOOST_TEST(p.mtu.value() == 1400U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::implausible_mtu}));
    BOOST_TEST(decode(frag_needed_about_tcp(0x80'00'05'78).build()).anomalies ==
               anomaly_set({Anomaly::implausible_mtu}));
}

BOOST_AUTO_TEST_CASE(v4_frag_needed_with_only_its_mtu_set_is_plausible) {
    BOOST_TEST(decode(frag_needed_about_tcp(0x00'00'05'78).build()).anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(v4_frag_needed_may_carry_an_rfc4884_length_in_its_sixth_octet) {
    const DecodedPacket p =
        decode(v4().frag_needed(1400)
                   .rest_of_header(0x00'20'05'78)
                   .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").df().tcp(1, 2).total_length(1500), 28)
                   .pad_payload_to(128)
                   .build());
    BOOST_TEST(p.mtu.value() == 1400U);
    BOOST_TEST(p.rfc4884_length.value() == 128U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(v4_other_dest_unreachable_codes_do_not_judge_the_fifth_octet) {
    const DecodedPacket p = decode(v4().icmp(3, 3)
                                       .rest_of_header(0xFF'00'00'00)
                                       .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").udp(1, 2))
                                       .build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(v4_dest_unreachable_other_codes_have_no_mtu) {
    const DecodedPacket p = decode(v4().icmp(3, 3).rest_of_header(0x000005DC).build());
    BOOST_TEST(!p.mtu.has_value());
}

BOOST_AUTO_TEST_CASE(v6_packet_too_big_reads_the_32_bit_mtu) {
    const DecodedPacket p = decode(v6().packet_too_big(0x00012345).build());
    BOOST_TEST_REQUIRE(p.mtu.has_value());
    BOOST_TEST(*p.mtu == 0x00012345U);
}

BOOST_AUTO_TEST_CASE(v4_parameter_problem_pointer_is_byte_4) {
    const DecodedPacket p = decode(v4().icmp(12, 0).pointer(9).build());
    BOOST_TEST_REQUIRE(p.pointer.has_value());
    BOOST_TEST(*p.pointer == 9U);
}

BOOST_AUTO_TEST_CASE(v6_parameter_problem_pointer_is_32_bits) {
    const DecodedPacket p = decode(v6().icmp(4, 1).pointer(0x00010028).build());
    BOOST_TEST_REQUIRE(p.pointer.has_value());
    BOOST_TEST(*p.pointer == 0x00010028U);
}

BOOST_AUTO_TEST_CASE(v4_redirect_gateway_is_bytes_4_to_7) {
    const DecodedPacket p = decode(v4().icmp(5, 1).gateway("192.0.2.254").build());
    BOOST_TEST_REQUIRE(p.gateway.has_value());
    BOOST_TEST(*p.gateway == *parse_ip("192.0.2.254"));
}

BOOST_AUTO_TEST_CASE(v6_redirect_target_follows_the_header) {
    const Packet body = [] {
        Packet b = test::address_bytes("fe80::1");
        const Packet destination = test::address_bytes("2001:db8::9");
        b.insert(b.end(), destination.begin(), destination.end());
        return b;
    }();
    const DecodedPacket p = decode(v6().hop_limit(255).icmp(137).payload(body).build());
    BOOST_TEST_REQUIRE(p.gateway.has_value());
    BOOST_TEST(*p.gateway == *parse_ip("fe80::1"));
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(v6_redirect_too_short_for_a_target_has_none_and_no_anomaly) {
    const DecodedPacket p = decode(v6().hop_limit(255).icmp(137).payload_zeros(15).build());
    BOOST_TEST(!p.gateway.has_value());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(v4_rfc4884_length_counts_32_bit_words, boost::unit_test::data::make({3, 11, 12}), type) {
    const DecodedPacket p = decode(v4().icmp(static_cast<std::uint8_t>(type)).rfc4884_length(32).build());
    BOOST_TEST_REQUIRE(p.rfc4884_length.has_value());
    BOOST_TEST(*p.rfc4884_length == 128U);
}

BOOST_DATA_TEST_CASE(v6_rfc4884_length_counts_64_bit_words, boost::unit_test::data::make({1, 3}), type) {
    const DecodedPacket p = decode(v6().icmp(static_cast<std::uint8_t>(type)).rfc4884_length(16).build());
    BOOST_TEST_REQUIRE(p.rfc4884_length.has_value());
    BOOST_TEST(*p.rfc4884_length == 128U);
}

BOOST_AUTO_TEST_CASE(zero_rfc4884_length_is_absent) {
    const DecodedPacket p = decode(v4().icmp(11).build());
    BOOST_TEST(!p.rfc4884_length.has_value());
}

BOOST_AUTO_TEST_CASE(rfc4884_octet_is_not_read_on_types_that_do_not_define_it) {
    // v4 Redirect's byte 5 is part of the gateway address; v6 Packet Too Big's is the MTU.
    BOOST_TEST(!decode(v4().icmp(5).gateway("10.20.30.40").build()).rfc4884_length.has_value());
    BOOST_TEST(!decode(v6().packet_too_big(0x10000500).build()).rfc4884_length.has_value());
}

BOOST_AUTO_TEST_CASE(header_fields_are_reported) {
    const Packet bytes = v4().icmp(3, 13).checksum(0xBEEF).build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 3U);
    BOOST_TEST(p.icmp_code == 13U);
    BOOST_TEST(p.icmp_checksum == 0xBEEFU);
}

BOOST_DATA_TEST_CASE(message_shorter_than_8_bytes_is_truncated, boost::unit_test::data::xrange(0, 8), icmp_bytes) {
    const DecodedPacket p =
        decode(v4().echo_request(1, 1).total_length(static_cast<std::uint16_t>(20 + icmp_bytes)).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(payload_size_counts_declared_bytes_after_the_header) {
    BOOST_TEST(decode(v4().echo_request(1, 1).payload_zeros(56).build()).payload_size == 56U);
    BOOST_TEST(decode(v6().echo_request(1, 1).hop_by_hop().payload_zeros(3).build()).payload_size == 3U);
}

BOOST_AUTO_TEST_CASE(bad_checksum_is_invalid_and_flagged) {
    const DecodedPacket p = decode(v4().echo_request(1, 1).payload_zeros(3).bad_checksum().build());
    BOOST_TEST(p.checksum == ChecksumState::invalid);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_checksum}));
}

BOOST_AUTO_TEST_CASE(checksum_not_ready_is_not_judged) {
    const Packet bytes = v4().echo_request(1, 1).bad_checksum().build();
    const DecodedPacket p = decode(bytes, {.checksum_verifiable = false});
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(odd_and_even_length_messages_verify_in_both_families, boost::unit_test::data::xrange(0, 8), n) {
    const Packet data(static_cast<std::size_t>(n), 0xA5);
    BOOST_TEST(decode(v4().echo_request(1, 1).payload(data).build()).checksum == ChecksumState::valid);
    BOOST_TEST(decode(v6().echo_request(1, 1).payload(data).build()).checksum == ChecksumState::valid);
}

BOOST_AUTO_TEST_CASE(shortest_message_checksum_is_judged) {
    const DecodedPacket p = decode(v4().icmp(0).build());
    BOOST_TEST(p.payload_size == 0U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
}

BOOST_AUTO_TEST_CASE(classifies_echo_and_rfc4884_types) {
    BOOST_TEST(has_echo_fields(Family::ipv4, 8));
    BOOST_TEST(!has_echo_fields(Family::ipv4, 128));
    BOOST_TEST(has_echo_fields(Family::ipv6, 128));
    BOOST_TEST(!has_echo_fields(Family::ipv6, 8));
    BOOST_TEST(defines_rfc4884_length(Family::ipv4, 12));
    BOOST_TEST(!defines_rfc4884_length(Family::ipv4, 4));
    BOOST_TEST(defines_rfc4884_length(Family::ipv6, 3));
    BOOST_TEST(!defines_rfc4884_length(Family::ipv6, 2));
    BOOST_TEST(!defines_rfc4884_length(Family::ipv6, 4));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
