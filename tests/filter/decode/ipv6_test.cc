#include "filter/decode/ipv6.h"

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

constexpr const char* kSrc = "2001:db8::1";
constexpr const char* kDst = "2001:db8:1::2";

PacketBuilder v6() {
    return PacketBuilder::ipv6(kSrc, kDst);
}

DecodedPacket decode(const Packet& bytes, DecodeOptions options = {}) {
    return decode_packet(bytes, options);
}

// The bytes after the fixed header of a built packet, and its first next header.
ExtensionChain walk(const Packet& packet) {
    const Packet rest(packet.begin() + 40, packet.end());
    return walk_extension_chain(packet[6], rest);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ipv6)

BOOST_AUTO_TEST_CASE(reads_the_fixed_header) {
    const Packet bytes = v6().hop_limit(33).echo_request(1, 2).build();
    const std::optional<Ipv6Header> h = read_ipv6_header(bytes);
    BOOST_TEST_REQUIRE(h.has_value());
    BOOST_TEST(h->payload_length() == 8U);
    BOOST_TEST(h->next_header() == 58U);
    BOOST_TEST(h->hop_limit() == 33U);
    BOOST_TEST((IpAddress::v6(h->src()) == *parse_ip(kSrc)));
    BOOST_TEST((IpAddress::v6(h->dst()) == *parse_ip(kDst)));
}

BOOST_AUTO_TEST_CASE(header_read_fails_below_40_bytes) {
    BOOST_TEST(!read_ipv6_header(test::cut(v6().echo_request(1, 2).build(), 39)).has_value());
}

BOOST_AUTO_TEST_CASE(walk_without_extension_headers_reaches_the_upper_layer) {
    const ExtensionChain c = walk(v6().echo_request(1, 2).build());
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.upper_protocol == 58U);
    BOOST_TEST(c.length == 0U);
    BOOST_TEST(!c.has_fragment_header);
}

BOOST_AUTO_TEST_CASE(walk_steps_over_hop_by_hop_routing_and_destination_options) {
    const Packet bytes = v6().hop_by_hop(1)
                             .destination_options()
                             .routing(2, 0, {"2001:db8::99"})
                             .destination_options(2)
                             .echo_request(1, 2)
                             .build();
    const ExtensionChain c = walk(bytes);
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.upper_protocol == 58U);
    BOOST_TEST(c.length == 16U + 8U + 24U + 24U);
    BOOST_TEST(!c.routing_segments_left);
}

BOOST_AUTO_TEST_CASE(walk_sizes_ah_in_four_byte_units) {
    const ExtensionChain c = walk(v6().authentication_header(12).echo_request(1, 2).build());
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.length == 24U);
    BOOST_TEST(c.upper_protocol == 58U);
}

BOOST_DATA_TEST_CASE(walk_steps_over_rfc6564_shaped_headers, boost::unit_test::data::make({135, 139, 140, 253, 254}),
                     type) {
    const ExtensionChain c = walk(v6().extension(static_cast<std::uint8_t>(type), 1).echo_request(1, 2).build());
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.length == 16U);
    BOOST_TEST(c.upper_protocol == 58U);
}

BOOST_AUTO_TEST_CASE(walk_reports_routing_segments_left) {
    const ExtensionChain c = walk(v6().routing(0, 1, {"2001:db8::99"}).echo_request(1, 2).build());
    BOOST_TEST(c.routing_segments_left);
}

BOOST_AUTO_TEST_CASE(walk_records_a_first_fragment_and_continues) {
    const ExtensionChain c = walk(v6().fragment_header(0, true).echo_request(1, 2).build());
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.has_fragment_header);
    BOOST_TEST(c.more_fragments);
    BOOST_TEST(c.fragment_offset == 0U);
    BOOST_TEST(c.upper_protocol == 58U);
    BOOST_TEST(c.length == 8U);
}

BOOST_AUTO_TEST_CASE(walk_stops_after_a_non_first_fragment_header) {
    // Whatever follows a non-first fragment header is data, even if it looks like a header.
    const ExtensionChain c = walk(v6().fragment_header(3, false).raw_upper(0, Packet(16, 0)).build());
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.fragment_offset == 3U);
    BOOST_TEST(c.upper_protocol == 0U);
    BOOST_TEST(c.length == 8U);
}

BOOST_AUTO_TEST_CASE(walk_accepts_sixteen_headers) {
    PacketBuilder b = v6();
    for (int i = 0; i < 16; ++i) b.destination_options();
    const ExtensionChain c = walk(b.echo_request(1, 2).build());
    BOOST_TEST((c.status == ChainStatus::complete));
    BOOST_TEST(c.length == 128U);
}

BOOST_AUTO_TEST_CASE(walk_rejects_seventeen_headers_as_too_long) {
    PacketBuilder b = v6();
    for (int i = 0; i < 17; ++i) b.destination_options();
    BOOST_TEST((walk(b.echo_request(1, 2).build()).status == ChainStatus::too_long));
}

BOOST_DATA_TEST_CASE(walk_reports_a_header_cut_anywhere, boost::unit_test::data::xrange(0, 24), keep) {
    // Hop-by-hop (8) then destination options (16): every cut inside them is "cut".
    const Packet whole = v6().hop_by_hop().destination_options(1).echo_request(1, 2).build();
    const Packet rest(whole.begin() + 40, whole.begin() + 40 + keep);
    BOOST_TEST((walk_extension_chain(whole[6], rest).status == ChainStatus::cut));
}

BOOST_AUTO_TEST_CASE(walk_reports_a_fragment_header_cut) {
    const Packet whole = v6().fragment_header(0, true).echo_request(1, 2).build();
    const Packet rest(whole.begin() + 40, whole.begin() + 47);
    BOOST_TEST((walk_extension_chain(44, rest).status == ChainStatus::cut));
}

BOOST_AUTO_TEST_CASE(echo_decodes_without_anomaly) {
    const DecodedPacket p = decode(v6().hop_limit(64).echo_request(0xbeef, 3).payload_zeros(5).build());
    BOOST_TEST(p.is_ip);
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.family == Family::ipv6);
    BOOST_TEST(p.ttl == 64U);
    BOOST_TEST(p.protocol == 58U);
    BOOST_TEST(p.ip_length == 53U);
    BOOST_TEST(p.payload_size == 5U);
    BOOST_TEST(!p.dont_fragment);
    BOOST_TEST(!p.is_fragment);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(echo_behind_extension_headers_decodes_with_valid_checksum) {
    const DecodedPacket p =
        decode(v6().hop_by_hop().routing(2, 0, {"2001:db8::5"}).destination_options().echo_request(1, 2).build());
    BOOST_TEST(p.protocol == 58U);
    BOOST_TEST(p.ip_length == 40U + 8U + 24U + 8U + 8U);
    BOOST_TEST(p.payload_size == 0U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(fewer_than_40_bytes_is_truncated_icmp, boost::unit_test::data::xrange(1, 40), length) {
    const auto n = static_cast<std::size_t>(length);
    const DecodedPacket p = decode(test::cut(v6().hop_limit(9).echo_request(1, 2).build(), n));
    BOOST_TEST(p.is_ip);
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.family == Family::ipv6);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    // Only the fields that are there: next header 58 names the protocol, the source is whole
    // from byte 24, the destination never (it would end at byte 40).
    BOOST_TEST(p.has_protocol == (n >= 7));
    BOOST_TEST(p.protocol == (n >= 7 ? 58U : 0U));
    BOOST_TEST(p.ttl == (n >= 8 ? 9U : 0U));
    BOOST_TEST(p.has_src == (n >= 24));
    if (n >= 24) BOOST_TEST(p.src == *parse_ip("2001:db8::1"));
    BOOST_TEST(!p.has_dst);
    BOOST_TEST(!p.has_icmp_header);
}

BOOST_AUTO_TEST_CASE(header_cut_short_before_an_extension_header_has_no_protocol) {
    // Next header 0 (hop-by-hop) is not the upper-layer protocol, which lies beyond the cut.
    const DecodedPacket p = decode(test::cut(v6().hop_by_hop().echo_request(1, 2).build(), 30));
    BOOST_TEST(!p.has_protocol);
    BOOST_TEST(p.has_src);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(payload_length_beyond_bytes_is_truncated_and_still_reports_its_icmp_header) {
    const DecodedPacket p = decode(v6().hop_by_hop().echo_request(0xabcd, 2).payload_length(30).build());
    BOOST_TEST(p.ip_length == 70U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
    BOOST_TEST(p.has_src);
    BOOST_TEST(p.has_dst);
    BOOST_TEST(p.has_protocol);
    BOOST_TEST(p.protocol == 58U);
    BOOST_TEST_REQUIRE(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 128U);
    BOOST_TEST(p.echo.value() == (Echo{0xabcd, 2}));
    BOOST_TEST(p.payload_size == 14U);  // 30 declared - 8 hop-by-hop - 8 ICMPv6 header
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
}

BOOST_AUTO_TEST_CASE(truncated_v6_error_reports_its_mtu_and_the_quote_there) {
    const Packet bytes = PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7")
                             .packet_too_big(1000)
                             .quote(PacketBuilder::ipv6("2001:db8:1::7", "2001:db8:2::9").udp(1, 2))
                             .payload_length(1200)
                             .build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST_REQUIRE(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 2U);
    BOOST_TEST(p.mtu.value() == 1000U);
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->src_port.value() == 1U);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated, Anomaly::implausible_mtu}));  // RFC 8201 4: < 1280
}

BOOST_AUTO_TEST_CASE(payload_length_beyond_bytes_with_the_chain_cut_has_no_protocol) {
    const DecodedPacket p = decode(test::cut(v6().destination_options(2).echo_request(1, 2).build(), 50));
    BOOST_TEST(p.has_src);
    BOOST_TEST(p.has_dst);
    BOOST_TEST(!p.has_protocol);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(capture_cut_within_wire_length_is_not_truncated_and_checksum_not_judged) {
    const Packet whole = v6().echo_request(1, 2).payload_zeros(100).build();
    const DecodedPacket p = decode(test::cut(whole, 60), {.checksum_verifiable = true, .wire_length = 148});
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.payload_size == 100U);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(trailing_bytes_are_ignored) {
    const DecodedPacket p = decode(v6().echo_request(1, 2).trailing_bytes(7).build());
    BOOST_TEST(p.payload_size == 0U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(extension_chain_cut_by_payload_length_is_truncated) {
    const DecodedPacket p = decode(v6().destination_options(2).echo_request(1, 2).payload_length(16).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(seventeen_extension_headers_are_too_many_not_truncated) {
    PacketBuilder b = v6();
    for (int i = 0; i < 17; ++i) b.destination_options();
    const DecodedPacket p = decode(b.echo_request(1, 2).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.has_src);
    BOOST_TEST(!p.has_protocol);  // the walk stopped before the upper layer
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::too_many_extension_headers}));
}

BOOST_AUTO_TEST_CASE(sixteen_extension_headers_are_walked) {
    PacketBuilder b = v6();
    for (int i = 0; i < 16; ++i) b.destination_options();
    const DecodedPacket p = decode(b.echo_request(1, 2).build());
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

// RFC 2675 jumbograms: Payload Length 0 and the length in the Hop-by-Hop Jumbo Payload option.

BOOST_AUTO_TEST_CASE(jumbogram_is_decoded_by_its_jumbo_payload_length) {
    const Packet bytes = v6().jumbo_payload().echo_request(7, 8).payload_zeros(70000).build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(bytes.size() == 40U + 8U + 8U + 70000U);
    BOOST_TEST(p.ip_length == 40U + 8U + 8U + 70000U);
    BOOST_TEST(p.payload_size == 70000U);
    BOOST_TEST(p.protocol == 58U);
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.checksum == ChecksumState::valid);  // pseudo-header with the 32-bit length (RFC 2675 4)
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(jumbogram_with_a_bad_checksum_is_judged) {
    const DecodedPacket p = decode(v6().jumbo_payload().echo_request(7, 8).payload_zeros(70000).bad_checksum().build());
    BOOST_TEST(p.checksum == ChecksumState::invalid);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_checksum}));
}

BOOST_AUTO_TEST_CASE(jumbogram_longer_than_its_bytes_is_truncated) {
    const Packet bytes = v6().jumbo_payload(70017).echo_request(7, 8).payload_zeros(70000).build();
    const DecodedPacket p = decode(bytes);
    BOOST_TEST(p.ip_length == 40U + 70017U);
    BOOST_TEST(p.has_icmp_header);  // the headers are whole
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(jumbogram_cut_by_the_capture_is_not_truncated) {
    const Packet whole = v6().jumbo_payload().echo_request(7, 8).payload_zeros(70000).build();
    const DecodedPacket p = decode(
        test::cut(whole, 1500), {.checksum_verifiable = true, .wire_length = static_cast<std::uint32_t>(whole.size())});
    BOOST_TEST(p.payload_size == 70000U);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(jumbo_payload_length_below_65536_is_invalid_and_truncated,
                     boost::unit_test::data::make({0U, 16U, 65535U}), length) {
    // RFC 2675 2: a Jumbo Payload Length must be greater than 65,535. Without a valid one the
    // packet's length is its Payload Length, 0: nothing after the fixed header is declared.
    const DecodedPacket p = decode(v6().jumbo_payload(static_cast<std::uint32_t>(length)).echo_request(1, 2).build());
    BOOST_TEST(p.ip_length == 40U);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(payload_length_zero_without_a_jumbo_payload_option_is_truncated) {
    const DecodedPacket p = decode(v6().hop_by_hop().echo_request(1, 2).payload_length(0).build());
    BOOST_TEST(p.ip_length == 40U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(payload_length_zero_without_a_hop_by_hop_header_is_truncated) {
    const DecodedPacket p = decode(v6().destination_options().echo_request(1, 2).payload_length(0).build());
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(jumbo_payload_option_with_a_non_zero_payload_length_is_not_used) {
    // RFC 2675 3: the option is only valid with Payload Length 0; the Payload Length decides.
    const DecodedPacket p = decode(v6().jumbo_payload(70000).echo_request(1, 2).payload_length(16).build());
    BOOST_TEST(p.ip_length == 56U);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(jumbo_payload_option_after_padding_options_is_found) {
    // Hop-by-Hop: Pad1, PadN (2 bytes), the Jumbo Payload option at offset 6 (4n + 2 alignment).
    const Packet bytes = v6().hop_by_hop(1).echo_request(1, 2).payload_zeros(66000).payload_length(0).build();
    Packet patched = bytes;
    const std::uint32_t length = static_cast<std::uint32_t>(bytes.size() - 40);
    const Packet options{0x00,
                         0x01,
                         0x02,
                         0x00,
                         0x00,
                         0xC2,
                         0x04,
                         static_cast<std::uint8_t>(length >> 24U),
                         static_cast<std::uint8_t>(length >> 16U),
                         static_cast<std::uint8_t>(length >> 8U),
                         static_cast<std::uint8_t>(length)};
    std::copy(options.begin(), options.end(), patched.begin() + 42);
    const DecodedPacket p = decode(patched);
    BOOST_TEST(p.ip_length == bytes.size());
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(icmp_header_cut_is_truncated) {
    const DecodedPacket p = decode(v6().echo_request(1, 2).payload_length(7).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_DATA_TEST_CASE(esp_no_next_header_and_others_are_not_icmp, boost::unit_test::data::make({50, 59, 6, 17}), next) {
    const DecodedPacket p =
        decode(v6().destination_options().raw_upper(static_cast<std::uint8_t>(next), Packet(8, 0)).build());
    BOOST_TEST(p.is_ip);
    BOOST_TEST(!p.is_icmp);
    BOOST_TEST(p.protocol == static_cast<std::uint8_t>(next));
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(icmpv4_in_ipv6_is_wrong_family_and_not_icmp) {
    const DecodedPacket p = decode(v6().echo_request(1, 2).protocol(1).build());
    BOOST_TEST(!p.is_icmp);
    BOOST_TEST(p.protocol == 1U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::wrong_family}));
}

BOOST_AUTO_TEST_CASE(first_fragment_decodes_the_header_but_does_not_judge_the_checksum) {
    const DecodedPacket p = decode(v6().fragment_header(0, true).echo_request(1, 2).payload_zeros(8).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.is_fragment);
    BOOST_TEST(p.more_fragments);
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 128U);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(non_first_fragment_is_icmp_without_header) {
    const DecodedPacket p = decode(v6().fragment_header(181, false).raw_upper(58, Packet(24, 0xAA)).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(p.is_fragment);
    BOOST_TEST(p.fragment_offset == 181U);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::fragment}));
}

BOOST_AUTO_TEST_CASE(atomic_fragment_is_a_whole_datagram) {
    const DecodedPacket p = decode(v6().fragment_header(0, false).echo_request(1, 2).build());
    BOOST_TEST(!p.is_fragment);
    BOOST_TEST(p.checksum == ChecksumState::valid);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(routing_header_with_segments_left_leaves_checksum_not_judged) {
    const DecodedPacket p = decode(v6().routing(0, 1, {"2001:db8::77"}).echo_request(1, 2).build());
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.checksum == ChecksumState::not_judged);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(bad_checksum_is_found_through_the_pseudo_header) {
    const DecodedPacket p = decode(v6().echo_request(1, 2).bad_checksum().build());
    BOOST_TEST(p.checksum == ChecksumState::invalid);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_checksum}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
