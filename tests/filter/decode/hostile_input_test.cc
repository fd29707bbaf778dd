// Hostile-input cases of issue 5 not covered by the per-layer tests: errors nested three
// deep, IPv6 extension chains that repeat one header type, and RFC 4884 length fields that
// point exactly at or past the end of the message in both families.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "filter/decode/decode.h"
#include "tests/support/packet_builder.h"

namespace {

using icmpgate::decode::Anomaly;
using icmpgate::decode::decode_packet;
using icmpgate::decode::DecodedPacket;
using icmpgate::test::anomaly_set;
using icmpgate::test::Packet;
using icmpgate::test::PacketBuilder;

constexpr std::uint8_t kHopByHop = 0;
constexpr std::uint8_t kDestinationOptions = 60;
// RFC 4884 5: the original datagram field is padded to 128 bytes when extensions follow.
constexpr std::size_t kRfc4884Padded = 128;
constexpr std::uint8_t kV4WordsTo128 = 32;  // 32-bit words
constexpr std::uint8_t kV6WordsTo128 = 16;  // 64-bit words

DecodedPacket decode(const Packet& bytes) {
    return decode_packet(bytes, {});
}

PacketBuilder v4(std::string_view src, std::string_view dst) {
    return PacketBuilder::ipv4(src, dst);
}
PacketBuilder v6(std::string_view src, std::string_view dst) {
    return PacketBuilder::ipv6(src, dst);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_input)

BOOST_AUTO_TEST_CASE(v4_error_about_error_about_error_is_error_about_error_decoded_one_level) {
    // A Time Exceeded quoting a Port Unreachable that itself quotes a Time Exceeded.
    const PacketBuilder innermost =
        v4("192.0.2.9", "198.51.100.7").time_exceeded().quote(v4("198.51.100.7", "203.0.113.5").udp(1, 2));
    const PacketBuilder middle = v4("198.51.100.7", "192.0.2.9").port_unreachable().quote(innermost);
    const DecodedPacket p = decode(v4("203.0.113.1", "198.51.100.7").time_exceeded().quote(middle).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->icmp.value().type == 3U);
    BOOST_TEST(p.quoted->icmp->code == 3U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::error_about_error}));
}

BOOST_AUTO_TEST_CASE(v6_error_about_error_about_error_is_error_about_error_decoded_one_level) {
    const PacketBuilder innermost =
        v6("2001:db8::9", "2001:db8:1::7").time_exceeded().quote(v6("2001:db8:1::7", "2001:db8:2::5").udp(1, 2));
    const PacketBuilder middle = v6("2001:db8:1::7", "2001:db8::9").port_unreachable().quote(innermost);
    const DecodedPacket p = decode(v6("2001:db8:ff::1", "2001:db8:1::7").time_exceeded().quote(middle).build());
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->icmp.value().type == 1U);
    BOOST_TEST(p.quoted->icmp->code == 4U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::error_about_error}));
}

// A chain that names the same header type again and again ("loops") ends by the 16-header
// bound whatever the type: the walk never runs past it.
BOOST_DATA_TEST_CASE(repeated_extension_type_beyond_sixteen_is_too_many_extension_headers,
                     boost::unit_test::data::make({kHopByHop, kDestinationOptions}), type) {
    PacketBuilder chain = v6("2001:db8::1", "2001:db8::2");
    for (int i = 0; i < 40; ++i) chain.extension(type);
    const DecodedPacket p = decode(chain.echo_request(1, 2).build());
    BOOST_TEST(p.is_icmp);
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::too_many_extension_headers}));
}

BOOST_DATA_TEST_CASE(repeated_extension_type_up_to_sixteen_reaches_the_icmp_header,
                     boost::unit_test::data::make({kHopByHop, kDestinationOptions}), type) {
    PacketBuilder chain = v6("2001:db8::1", "2001:db8::2");
    for (int i = 0; i < 16; ++i) chain.extension(type);
    const DecodedPacket p = decode(chain.echo_request(1, 2).build());
    BOOST_TEST(p.has_icmp_header);
    BOOST_TEST(p.icmp_type == 128U);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

// A chain of 16 maximal (2048-byte) headers, cut short by the bytes: truncated, no overread.
BOOST_AUTO_TEST_CASE(very_long_extension_headers_cut_by_the_bytes_are_truncated) {
    PacketBuilder chain = v6("2001:db8::1", "2001:db8::2");
    for (int i = 0; i < 16; ++i) chain.destination_options(255);
    const Packet whole = chain.echo_request(1, 2).build();
    const Packet cut = icmpgate::test::cut(whole, 40 + 3 * 2048 + 5);
    const DecodedPacket p = decode_packet(cut, {});
    BOOST_TEST(!p.has_icmp_header);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::truncated}));
}

BOOST_AUTO_TEST_CASE(v4_rfc4884_length_ending_exactly_at_the_message_end_is_clean) {
    const DecodedPacket p = decode(v4("203.0.113.1", "198.51.100.7")
                                       .time_exceeded()
                                       .rfc4884_length(kV4WordsTo128)
                                       .quote(v4("198.51.100.7", "203.0.113.9").udp(33000, 33434))
                                       .pad_payload_to(kRfc4884Padded)
                                       .build());
    BOOST_TEST(p.rfc4884_length.value() == kRfc4884Padded);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(v4_rfc4884_length_past_the_message_is_bad_extension_and_does_not_bound_the_quote,
                     boost::unit_test::data::make({33, 64, 255}), words) {
    const DecodedPacket p = decode(v4("203.0.113.1", "198.51.100.7")
                                       .time_exceeded()
                                       .rfc4884_length(static_cast<std::uint8_t>(words))
                                       .quote(v4("198.51.100.7", "203.0.113.9").udp(33000, 33434))
                                       .pad_payload_to(kRfc4884Padded)
                                       .build());
    BOOST_TEST(p.rfc4884_length.value() == static_cast<std::uint32_t>(words) * 4U);
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->dst_port.value() == 33434U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_extension}));
}

BOOST_AUTO_TEST_CASE(v6_rfc4884_length_ending_exactly_at_the_message_end_is_clean) {
    const DecodedPacket p = decode(v6("2001:db8:ff::1", "2001:db8:1::7")
                                       .time_exceeded()
                                       .rfc4884_length(kV6WordsTo128)
                                       .quote(v6("2001:db8:1::7", "2001:db8:2::9").udp(33000, 33434))
                                       .pad_payload_to(kRfc4884Padded)
                                       .build());
    BOOST_TEST(p.rfc4884_length.value() == kRfc4884Padded);
    BOOST_TEST(p.anomalies == anomaly_set({}));
}

BOOST_DATA_TEST_CASE(v6_rfc4884_length_past_the_message_is_bad_extension_and_does_not_bound_the_quote,
                     boost::unit_test::data::make({17, 100, 255}), words) {
    const DecodedPacket p = decode(v6("2001:db8:ff::1", "2001:db8:1::7")
                                       .time_exceeded()
                                       .rfc4884_length(static_cast<std::uint8_t>(words))
                                       .quote(v6("2001:db8:1::7", "2001:db8:2::9").udp(33000, 33434))
                                       .pad_payload_to(kRfc4884Padded)
                                       .build());
    BOOST_TEST(p.rfc4884_length.value() == static_cast<std::uint32_t>(words) * 8U);
    BOOST_TEST_REQUIRE(p.quoted.has_value());
    BOOST_TEST(p.quoted->dst_port.value() == 33434U);
    BOOST_TEST(p.anomalies == anomaly_set({Anomaly::bad_extension}));
}

BOOST_AUTO_TEST_SUITE_END()
