#include "filter/decode/ipv4.h"

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

PacketBuilder echo() {
    return PacketBuilder::ipv4("192.0.2.1", "198.51.100.7")
        .echo_request(0x1234, 7)
        .payload({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
}

DecodedPacket decode(const Packet& bytes, DecodeOptions options = {}) {
    return decode_packet(bytes, options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ipv4)

BOOST_AUTO_TEST_CASE(reads_every_fixed_field) {
    const Packet bytes = PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").ttl(17).df().echo_request(1, 2).build();
    const Ipv4HeaderRead read = read_ipv4_header(bytes);
    BOOST_TEST((read.status == Ipv4HeaderStatus::ok));
    BOOST_TEST_REQUIRE(read.header.has_value());
    const Ipv4Header& h = *read.header;
    BOOST_TEST(h.header_length() == 20U);
    BOOST_TEST(h.total_length() == 28U);
    BOOST_TEST(h.ttl() == 17U);
    BOOST_TEST(h.protocol() == 1U);
    BOOST_TEST(h.dont_fragment());
    BOOST_TEST(!h.more_fragments());
    BOOST_TEST(h.fragment_offset() == 0U);
    BOOST_TEST((IpAddress::v4(h.src()) == *parse_ip("192.0.2.1")));
    BOOST_TEST((IpAddress::v4(h.dst()) == *parse_ip("198.51.100.7")));
}

BOOST_AUTO_TEST_CASE(header_read_reports_short_header_below_20_bytes) {
    const Packet bytes = test::cut(echo().build(), 19);
    BOOST_TEST((read_ipv4_header(bytes).status == Ipv4HeaderStatus::short_header));
    BOOST_TEST(!read_ipv4_header(bytes).header.has_value());
}

BOOST_AUTO_TEST_CASE(header_read_reports_bad_ihl_below_five) {
    const Packet bytes = echo().ihl(4).build();
    BOOST_TEST((read_ipv4_header(bytes).status == Ipv4HeaderStatus::bad_ihl));
}

BOOST_AUTO_TEST_CASE(header_read_reports_options_cut_when_ihl_exceeds_bytes) {
    const Packet bytes = test::cut(PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").ihl(15).build(), 40);
    BOOST_TEST((read_ipv4_header(bytes).status == Ipv4HeaderStatus::options_cut));
}

BOOST_AUTO_TEST_CASE(echo_decodes_without_anomaly) {
    const DecodedPacket p = decode(echo().ttl(9).build());
    BOOST_TEST(p.is_ip);
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.family == Family::ipv4);
    BOOST_TEST(p.src == *parse_ip("192.0.2.1"));
    BOOST_TEST(p.dst == *parse_ip("198.51.100.7"));
    BOOST_TEST(p.ttl == 9U);
    BOOST_TEST(p.protocol == 1U);
    BOOST_TEST(p.ip_length == 44U);
    BOOST_TEST(p.payload_size == 16U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(options_are_skipped_by_honouring_ihl) {
    // Record Route (7), length 11, pointer 4, two empty slots: padded to 12 bytes, IHL 8.
    const Packet bytes = echo().ipv4_options({7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0}).build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(p.anomalies == anomaly_set({}));
    BOOST_TEST(p.icmp_type == 8U);
    BOOST_TEST(p.payload_size == 16U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST_REQUIRE(p.echo.has_value());
    BOOST_TEST(p.echo->id == 0x1234U);
}

BOOST_AUTO_TEST_CASE(empty_input_is_not_ip) {
    const DecodedPacket p = decode(Packet{});
    BOOST_TEST(!p.is_ip);
    BOOST_TEST(!p.is_icmp);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(version_other_than_4_or_6_is_not_ip, boost::unit_test::data::make({0, 1, 5, 7, 15}), version) {
    Packet bytes = echo().build();
    bytes[0] = static_cast<std::uint8_t>((static_cast<unsigned>(version) << 4U) | 5U);
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(!p.is_ip);
    BOOST_TEST(!p.is_icmp);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(fewer_than_20_bytes_is_truncated_icmp, boost::unit_test::data::xrange(1, 20), length) {
    const DecodedPacket p = decode(test::cut(echo().build(), static_cast<std::size_t>(length)));
    BOOST_TEST(p.is_ip);
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.family == Family::ipv4);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_DATA_TEST_CASE(ihl_below_five_is_truncated, boost::unit_test::data::xrange(0, 5), ihl) {
    const DecodedPacket p = decode(echo().ihl(static_cast<std::uint8_t>(ihl)).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    BOOST_TEST(p.src == *parse_ip("192.0.2.1"));  // the fixed fields are still reported
}

BOOST_AUTO_TEST_CASE(ihl_beyond_the_bytes_is_truncated) {
    // IHL 15 = 60 bytes of header, but the whole packet is 44 bytes.
    const DecodedPacket p = decode(echo().ihl(15).build());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    BOOST_TEST(!p.has_icmp_header);
}

BOOST_AUTO_TEST_CASE(ihl_beyond_total_length_is_truncated) {
    const DecodedPacket p = decode(echo().ihl(6).total_length(22).build());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_DATA_TEST_CASE(total_length_below_header_length_is_truncated, boost::unit_test::data::make({0, 1, 19}), total) {
    const DecodedPacket p = decode(echo().total_length(static_cast<std::uint16_t>(total)).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.ip_length == static_cast<std::uint32_t>(total));
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(total_length_larger_than_bytes_is_truncated_and_still_reports_its_icmp_header) {
    // 44 bytes present, 45 declared: the header and the 8 ICMP bytes are there, so the type,
    // code and echo fields are read; the checksum cannot be judged on a message that is not all here.
    const DecodedPacket p = decode(echo().total_length(45).build());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.has_src);
    BOOST_TEST(p.has_dst);
    BOOST_TEST(p.has_protocol);
    BOOST_TEST_REQUIRE(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 8U);
    BOOST_TEST(p.icmp_code == 0U);
    BOOST_TEST(p.echo.value() == (Echo{0x1234, 7}));
    BOOST_TEST(p.payload_size == 17U);  // as declared
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
}

BOOST_AUTO_TEST_CASE(truncated_error_reports_type_code_mtu_and_the_quote_there) {
    const Packet bytes = PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
                             .frag_needed(40)
                             .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").df().udp(1, 2))
                             .total_length(200)
                             .build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST_REQUIRE(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 3U);
    BOOST_TEST(p.icmp_code == 4U);
    BOOST_TEST(p.mtu.value() == 40U);
    // Read like a cut capture: the quote from the bytes that are there, the checksum not judged.
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->dst_port.value() == 2U);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated, Anomaly::implausible_mtu}));  // MTU 40 < 68 (RFC 1191 3)
}

BOOST_DATA_TEST_CASE(truncated_with_fewer_than_8_icmp_bytes_has_no_icmp_header, boost::unit_test::data::xrange(20, 28),
                     keep) {
    const DecodedPacket p = decode(test::cut(echo().build(), static_cast<std::size_t>(keep)));
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.has_src);
    BOOST_TEST(p.has_dst);
}

BOOST_AUTO_TEST_CASE(truncated_other_protocol_is_truncated_icmp_without_icmp_header) {
    const DecodedPacket p =
        decode(PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").udp(1, 2).total_length(100).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.protocol == 17U);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(truncated_non_first_fragment_has_no_icmp_header) {
    const DecodedPacket p = decode(echo().fragment_offset(10).total_length(100).build());
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_DATA_TEST_CASE(header_cut_short_reads_only_the_fields_that_are_there, boost::unit_test::data::xrange(1, 20),
                     keep) {
    // Nothing is reported from defaults: 0.0.0.0 is never a source that was not read.
    const auto n = static_cast<std::size_t>(keep);
    const DecodedPacket p = decode(test::cut(echo().ttl(33).build(), n));
    BOOST_TEST(p.is_ip);
    BOOST_TEST(p.family == Family::ipv4);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    BOOST_TEST(p.ttl == (n >= 9 ? 33U : 0U));
    BOOST_TEST(p.has_protocol == (n >= 10));
    BOOST_TEST(p.protocol == (n >= 10 ? 1U : 0U));
    BOOST_TEST(p.has_src == (n >= 16));
    if (n >= 16) BOOST_TEST(p.src == *parse_ip("192.0.2.1"));
    BOOST_TEST(!p.has_dst);
    BOOST_TEST(!p.has_icmp_header);
}

BOOST_AUTO_TEST_CASE(whole_header_reads_every_address_field) {
    const DecodedPacket p = decode(echo().build());
    BOOST_TEST(p.has_src);
    BOOST_TEST(p.has_dst);
    BOOST_TEST(p.has_protocol);
}

BOOST_AUTO_TEST_CASE(total_length_equal_to_header_leaves_no_room_for_icmp) {
    const DecodedPacket p = decode(echo().total_length(20).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(total_length_smaller_than_bytes_clamps_the_message) {
    // 12 of the 16 data bytes are declared: the message ends there and its checksum no longer verifies.
    const DecodedPacket p = decode(echo().total_length(40).build());
    BOOST_TEST(p.ip_length == 40U);
    BOOST_TEST(p.payload_size == 12U);
    BOOST_TEST(p.checksum == ChecksumState::invalid);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_checksum}));
}

BOOST_AUTO_TEST_CASE(trailing_ethernet_padding_is_ignored) {
    const Packet bytes = PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").echo_request(1, 1).trailing_bytes(18).build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(p.ip_length == 28U);
    BOOST_TEST(p.payload_size == 0U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(capture_cut_within_wire_length_is_not_truncated_and_checksum_not_judged) {
    const Packet whole = echo().build();
    const DecodedPacket p = decode(test::cut(whole, 30), {.checksum_verifiable = true, .wire_length = 44});
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.payload_size == 16U);  // declared, not present
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(capture_cut_shorter_than_total_length_is_truncated) {
    const DecodedPacket p = decode(test::cut(echo().build(), 30), {.checksum_verifiable = true, .wire_length = 43});
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(capture_cut_inside_the_icmp_header_is_truncated) {
    const DecodedPacket p = decode(test::cut(echo().build(), 27), {.checksum_verifiable = true, .wire_length = 44});
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(fragment_fields_are_reported) {
    const DecodedPacket p = decode(echo().df().build());
    BOOST_TEST(p.dont_fragment);
    BOOST_TEST(!p.more_fragments);
    BOOST_TEST(p.fragment_offset == 0U);
    BOOST_TEST(!p.is_fragment);
}

BOOST_AUTO_TEST_CASE(first_fragment_decodes_the_header_but_does_not_judge_the_checksum) {
    const DecodedPacket p = decode(echo().mf().build());
    BOOST_TEST(p.is_fragment);
    BOOST_TEST(p.more_fragments);
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 8U);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(non_first_fragment_is_icmp_without_header) {
    const DecodedPacket p = decode(echo().fragment_offset(185).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.is_fragment);
    BOOST_TEST(p.fragment_offset == 185U);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::fragment}));
}

BOOST_AUTO_TEST_CASE(last_fragment_without_mf_is_still_a_fragment) {
    const DecodedPacket p = decode(echo().fragment_offset(1).mf(false).build());
    BOOST_TEST(p.is_fragment);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::fragment}));
}

BOOST_AUTO_TEST_CASE(icmpv6_in_ipv4_is_wrong_family_and_not_icmp) {
    const DecodedPacket p = decode(echo().protocol(58).build());
    BOOST_TEST(p.is_ip);
    BOOST_TEST(!p.is_icmp);
    BOOST_TEST(p.protocol == 58U);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::wrong_family}));
}

BOOST_DATA_TEST_CASE(other_protocols_are_not_icmp, boost::unit_test::data::make({6, 17, 47, 50, 132}), proto) {
    const DecodedPacket p = decode(echo().protocol(static_cast<std::uint8_t>(proto)).build());
    BOOST_TEST(p.is_ip);
    BOOST_TEST(!p.is_icmp);
    BOOST_TEST(p.protocol == static_cast<std::uint8_t>(proto));
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(bad_ipv4_header_checksum_is_not_judged_by_the_decoder) {
    // The kernel validates the IP header checksum before netfilter (ip_rcv); the decoder does not.
    const DecodedPacket p = decode(echo().bad_ip_checksum().build());
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
