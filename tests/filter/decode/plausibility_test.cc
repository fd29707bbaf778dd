#include "filter/decode/plausibility.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "filter/decode/decode.h"
#include "filter/decode/icmp_types.h"
#include "tests/support/address.h"
#include "tests/support/packet_builder.h"

// Pure checks over decoded facts: the packets here are built as values, not bytes, except
// where a test shows the decoder wires a check in.
namespace icmpgate::decode {
namespace {

using test::anomaly_set;

using icmpgate::test::ip;

QuotedPacket quote(Family family, const char* src, const char* dst) {
    QuotedPacket q;
    q.family = family;
    q.protocol = kIpProtoUdp;
    q.src = ip(src);
    q.dst = ip(dst);
    q.total_length = 1500;
    q.ttl = 1;
    q.dont_fragment = family == Family::ipv4;
    q.header_length = family == Family::ipv4 ? 20 : 40;
    q.transport_complete = true;
    q.src_port = 40000;
    q.dst_port = 33434;
    return q;
}

// An error from a router to a host, quoting what the host sent to a server.
DecodedPacket error(Family family, std::uint8_t type, std::uint8_t code = 0) {
    DecodedPacket p;
    p.is_ip = true;
    p.is_icmp = true;
    p.family = family;
    p.has_icmp_header = true;
    p.icmp_type = type;
    p.icmp_code = code;
    p.ttl = 64;
    if (family == Family::ipv4) {
        p.src = ip("203.0.113.1");
        p.dst = ip("198.51.100.7");
        p.protocol = kIpProtoIcmp;
        p.ip_length = 56;
        p.quoted = quote(family, "198.51.100.7", "203.0.113.9");
    } else {
        p.src = ip("2001:db8:ff::1");
        p.dst = ip("2001:db8:1::7");
        p.protocol = kIpProtoIcmpv6;
        p.ip_length = 96;
        p.quoted = quote(family, "2001:db8:1::7", "2001:db8:2::9");
    }
    p.payload_size = p.ip_length - (family == Family::ipv4 ? 28U : 48U);
    return p;
}

DecodedPacket frag_needed(std::uint32_t mtu) {
    DecodedPacket p = error(Family::ipv4, icmp4::kDestUnreachable, icmp4::kCodeFragNeeded);
    p.mtu = mtu;
    return p;
}

DecodedPacket packet_too_big(std::uint32_t mtu) {
    DecodedPacket p = error(Family::ipv6, icmp6::kPacketTooBig);
    p.mtu = mtu;
    return p;
}

DecodedPacket quoting_icmp(DecodedPacket p, std::uint8_t quoted_type) {
    p.quoted->protocol = p.family == Family::ipv4 ? kIpProtoIcmp : kIpProtoIcmpv6;
    p.quoted->src_port.reset();
    p.quoted->dst_port.reset();
    p.quoted->icmp = QuotedIcmp{quoted_type, 0, std::nullopt};
    return p;
}

DecodedPacket v6_informational(std::uint8_t type, std::uint8_t hop_limit, const char* src) {
    DecodedPacket p;
    p.is_ip = true;
    p.is_icmp = true;
    p.family = Family::ipv6;
    p.has_icmp_header = true;
    p.icmp_type = type;
    p.ttl = hop_limit;
    p.src = ip(src);
    p.dst = ip("ff02::1");
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plausibility)

BOOST_AUTO_TEST_CASE(well_formed_errors_have_no_anomaly) {
    BOOST_TEST(plausibility_anomalies(error(Family::ipv4, 11)) == anomaly_set({}));
    BOOST_TEST(plausibility_anomalies(error(Family::ipv6, 3)) == anomaly_set({}));
    BOOST_TEST(plausibility_anomalies(frag_needed(1400)) == anomaly_set({}));
    BOOST_TEST(plausibility_anomalies(packet_too_big(1280)) == anomaly_set({}));
}

BOOST_AUTO_TEST_CASE(packets_without_icmp_header_get_no_plausibility_anomaly) {
    DecodedPacket p = frag_needed(1);
    p.has_icmp_header = false;
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({}));
}

// ---- error-about-error ----------------------------------------------------------------------

BOOST_DATA_TEST_CASE(v4_error_quoting_an_error_is_error_about_error, boost::unit_test::data::make({3, 4, 5, 11, 12}),
                     quoted_type) {
    const DecodedPacket p = quoting_icmp(error(Family::ipv4, 11), static_cast<std::uint8_t>(quoted_type));
    BOOST_TEST(is_error_about_error(p));
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({Anomaly::error_about_error}));
}

BOOST_DATA_TEST_CASE(v4_error_quoting_informational_messages_is_legal, boost::unit_test::data::make({0, 8, 13, 14, 42}),
                     quoted_type) {
    BOOST_TEST(!is_error_about_error(quoting_icmp(error(Family::ipv4, 11), static_cast<std::uint8_t>(quoted_type))));
}

BOOST_DATA_TEST_CASE(v6_error_quoting_an_error_or_redirect_is_error_about_error,
                     boost::unit_test::data::make({1, 2, 3, 4, 100, 127, 137}), quoted_type) {
    BOOST_TEST(is_error_about_error(quoting_icmp(error(Family::ipv6, 1, 4), static_cast<std::uint8_t>(quoted_type))));
}

BOOST_DATA_TEST_CASE(v6_error_quoting_informational_messages_is_legal,
                     boost::unit_test::data::make({128, 129, 135, 136, 160}), quoted_type) {
    BOOST_TEST(!is_error_about_error(quoting_icmp(error(Family::ipv6, 3), static_cast<std::uint8_t>(quoted_type))));
}

BOOST_AUTO_TEST_CASE(error_quoting_a_non_first_fragment_of_an_error_is_only_quoted_fragment) {
    DecodedPacket p = quoting_icmp(error(Family::ipv4, 11), 3);
    p.quoted->fragment_offset = 1;
    BOOST_TEST(!is_error_about_error(p));
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({Anomaly::quoted_fragment}));
}

BOOST_AUTO_TEST_CASE(error_quoting_the_first_fragment_of_an_error_is_error_about_error) {
    DecodedPacket p = quoting_icmp(error(Family::ipv4, 11), 3);
    p.quoted->more_fragments = true;
    p.quoted->has_fragment_header = true;
    BOOST_TEST(is_error_about_error(p));
}

BOOST_AUTO_TEST_CASE(error_without_a_decoded_quoted_icmp_header_is_not_error_about_error) {
    DecodedPacket p = quoting_icmp(error(Family::ipv4, 11), 3);
    p.quoted->icmp.reset();
    BOOST_TEST(!is_error_about_error(p));
}

BOOST_AUTO_TEST_CASE(informational_message_is_never_error_about_error) {
    DecodedPacket p = quoting_icmp(error(Family::ipv4, 11), 3);
    p.icmp_type = icmp4::kEchoReply;
    BOOST_TEST(!is_error_about_error(p));
}

// ---- embedded-mismatch ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(quoted_source_other_than_outer_destination_is_a_mismatch) {
    DecodedPacket p = error(Family::ipv4, 3, 3);
    p.quoted->src = ip("198.51.100.8");
    BOOST_TEST(has_embedded_mismatch(p));
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({Anomaly::embedded_mismatch}));
}

BOOST_AUTO_TEST_CASE(quoted_source_equal_to_outer_destination_is_no_mismatch) {
    BOOST_TEST(!has_embedded_mismatch(error(Family::ipv6, 1, 4)));
}

BOOST_AUTO_TEST_CASE(mismatch_needs_a_quote) {
    DecodedPacket p = error(Family::ipv4, 3, 3);
    p.quoted.reset();
    BOOST_TEST(!has_embedded_mismatch(p));
}

// ---- implausible-mtu ------------------------------------------------------------------------

BOOST_DATA_TEST_CASE(frag_needed_mtu_boundaries,
                     boost::unit_test::data::make({0U, 1U, 67U, 68U, 576U, 1499U, 1500U, 1501U, 65535U}) ^
                         boost::unit_test::data::make({false, true, true, false, false, false, true, true, true}),
                     mtu, implausible) {
    // Quoted Total Length is 1500, DF set.
    BOOST_TEST(has_implausible_mtu(frag_needed(mtu)) == implausible);
}

BOOST_AUTO_TEST_CASE(frag_needed_quoting_a_packet_without_df_is_implausible) {
    DecodedPacket p = frag_needed(1400);
    p.quoted->dont_fragment = false;
    BOOST_TEST(has_implausible_mtu(p));
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({Anomaly::implausible_mtu}));
}

BOOST_AUTO_TEST_CASE(old_style_zero_mtu_still_needs_df) {
    DecodedPacket p = frag_needed(0);
    p.quoted->dont_fragment = false;
    BOOST_TEST(has_implausible_mtu(p));
}

BOOST_AUTO_TEST_CASE(frag_needed_mtu_range_is_judged_without_a_quote) {
    DecodedPacket tiny = frag_needed(67);
    tiny.quoted.reset();
    BOOST_TEST(has_implausible_mtu(tiny));
    DecodedPacket plausible = frag_needed(9000);
    plausible.quoted.reset();
    BOOST_TEST(!has_implausible_mtu(plausible));
}

BOOST_DATA_TEST_CASE(packet_too_big_mtu_boundaries,
                     boost::unit_test::data::make({0U, 1279U, 1280U, 1499U, 1500U, 9000U}) ^
                         boost::unit_test::data::make({true, true, false, false, true, true}),
                     mtu, implausible) {
    // Quoted packet length 1500.
    BOOST_TEST(has_implausible_mtu(packet_too_big(mtu)) == implausible);
}

BOOST_AUTO_TEST_CASE(packet_too_big_below_1280_is_judged_without_a_quote) {
    DecodedPacket p = packet_too_big(1279);
    p.quoted.reset();
    BOOST_TEST(has_implausible_mtu(p));
}

BOOST_AUTO_TEST_CASE(mtu_rules_apply_only_to_frag_needed_and_packet_too_big) {
    DecodedPacket p = error(Family::ipv4, 3, 3);
    p.mtu = 1;  // never set by the decoder for these, but the check must not look at it
    BOOST_TEST(!has_implausible_mtu(p));
}

// ---- quoted-fragment ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(quote_of_a_non_first_fragment_is_quoted_fragment) {
    DecodedPacket p = error(Family::ipv6, 3);
    p.quoted->has_fragment_header = true;
    p.quoted->fragment_offset = 8;
    BOOST_TEST(has_quoted_fragment(p));
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({Anomaly::quoted_fragment}));
}

BOOST_AUTO_TEST_CASE(quote_of_a_first_fragment_is_fine) {
    DecodedPacket p = error(Family::ipv4, 11);
    p.quoted->more_fragments = true;
    p.quoted->has_fragment_header = true;
    BOOST_TEST(!has_quoted_fragment(p));
}

// ---- quoted-multicast -----------------------------------------------------------------------

BOOST_DATA_TEST_CASE(v4_error_about_multicast_or_broadcast_is_flagged,
                     boost::unit_test::data::make({"224.0.0.1", "239.255.255.250", "255.255.255.255"}), dst) {
    DecodedPacket p = error(Family::ipv4, 3, 3);
    p.quoted->dst = ip(dst);
    BOOST_TEST(has_quoted_multicast(p));
    BOOST_TEST(plausibility_anomalies(p) == anomaly_set({Anomaly::quoted_multicast}));
}

BOOST_AUTO_TEST_CASE(v6_error_about_multicast_is_flagged) {
    DecodedPacket p = error(Family::ipv6, 1, 4);
    p.quoted->dst = ip("ff02::fb");
    BOOST_TEST(has_quoted_multicast(p));
}

BOOST_AUTO_TEST_CASE(v6_packet_too_big_about_multicast_is_allowed) {
    DecodedPacket p = packet_too_big(1400);
    p.quoted->dst = ip("ff0e::1");
    BOOST_TEST(!has_quoted_multicast(p));
}

BOOST_AUTO_TEST_CASE(v6_parameter_problem_code_2_about_multicast_is_allowed) {
    DecodedPacket p = error(Family::ipv6, icmp6::kParameterProblem, icmp6::kCodeUnrecognizedOption);
    p.quoted->dst = ip("ff02::1");
    BOOST_TEST(!has_quoted_multicast(p));
    p.icmp_code = 1;
    BOOST_TEST(has_quoted_multicast(p));
}

BOOST_AUTO_TEST_CASE(v4_frag_needed_about_multicast_has_no_exception) {
    DecodedPacket p = frag_needed(1400);
    p.quoted->dst = ip("224.0.0.9");
    BOOST_TEST(has_quoted_multicast(p));
}

// ---- quoted-bad-source ----------------------------------------------------------------------

BOOST_DATA_TEST_CASE(v4_quoted_source_not_a_single_host_is_flagged,
                     boost::unit_test::data::make({"0.0.0.0", "127.0.0.1", "224.0.0.5", "240.0.0.1",
                                                   "255.255.255.255"}),
                     src) {
    DecodedPacket p = error(Family::ipv4, 11);
    p.quoted->src = ip(src);
    p.dst = p.quoted->src;  // keep the mismatch check out of the way
    BOOST_TEST(has_quoted_bad_source(p));
    BOOST_TEST(plausibility_anomalies(p).test(Anomaly::quoted_bad_source));
}

BOOST_DATA_TEST_CASE(v6_quoted_source_not_a_single_host_is_flagged, boost::unit_test::data::make({"::", "ff02::1"}),
                     src) {
    DecodedPacket p = error(Family::ipv6, 3);
    p.quoted->src = ip(src);
    BOOST_TEST(has_quoted_bad_source(p));
}

BOOST_AUTO_TEST_CASE(unicast_quoted_source_is_fine) {
    BOOST_TEST(!has_quoted_bad_source(error(Family::ipv4, 11)));
}

// ---- oversized-error ------------------------------------------------------------------------

BOOST_DATA_TEST_CASE(v4_error_size_limit_is_576,
                     boost::unit_test::data::make({576U, 577U}) ^ boost::unit_test::data::make({false, true}), length,
                     oversized) {
    DecodedPacket p = error(Family::ipv4, 11);
    p.ip_length = length;
    BOOST_TEST(is_oversized_error(p) == oversized);
}

BOOST_DATA_TEST_CASE(v6_error_size_limit_is_1280,
                     boost::unit_test::data::make({1280U, 1281U}) ^ boost::unit_test::data::make({false, true}), length,
                     oversized) {
    DecodedPacket p = error(Family::ipv6, 1, 4);
    p.ip_length = length;
    BOOST_TEST(is_oversized_error(p) == oversized);
}

BOOST_AUTO_TEST_CASE(large_informational_messages_are_not_oversized_errors) {
    DecodedPacket p = v6_informational(icmp6::kEchoRequest, 64, "2001:db8::1");
    p.ip_length = 9000;
    BOOST_TEST(!is_oversized_error(p));
}

// ---- bad-hop-limit --------------------------------------------------------------------------

BOOST_DATA_TEST_CASE(neighbor_discovery_needs_hop_limit_255,
                     boost::unit_test::data::make({133, 134, 135, 136, 137, 141, 142, 148, 149}), type) {
    const auto t = static_cast<std::uint8_t>(type);
    BOOST_TEST(!has_bad_hop_limit(v6_informational(t, 255, "fe80::1")));
    BOOST_TEST(has_bad_hop_limit(v6_informational(t, 254, "fe80::1")));
    BOOST_TEST(plausibility_anomalies(v6_informational(t, 64, "fe80::1")) == anomaly_set({Anomaly::bad_hop_limit}));
}

BOOST_DATA_TEST_CASE(mld_needs_hop_limit_1_and_a_link_local_source, boost::unit_test::data::make({130, 131, 132, 143}),
                     type) {
    const auto t = static_cast<std::uint8_t>(type);
    BOOST_TEST(!has_bad_hop_limit(v6_informational(t, 1, "fe80::1")));
    BOOST_TEST(has_bad_hop_limit(v6_informational(t, 2, "fe80::1")));
    BOOST_TEST(has_bad_hop_limit(v6_informational(t, 255, "fe80::1")));
    BOOST_TEST(has_bad_hop_limit(v6_informational(t, 1, "2001:db8::1")));
}

BOOST_DATA_TEST_CASE(mld_reports_may_come_from_the_unspecified_address, boost::unit_test::data::make({131, 143}),
                     type) {
    // RFC 3590 4, RFC 3810 5.2.13: reports sent during DAD, before a link-local address exists.
    BOOST_TEST(!has_bad_hop_limit(v6_informational(static_cast<std::uint8_t>(type), 1, "::")));
}

BOOST_DATA_TEST_CASE(mld_queries_and_done_may_not_come_from_the_unspecified_address,
                     boost::unit_test::data::make({130, 132}), type) {
    BOOST_TEST(has_bad_hop_limit(v6_informational(static_cast<std::uint8_t>(type), 1, "::")));
}

BOOST_AUTO_TEST_CASE(other_types_and_ipv4_have_no_hop_limit_rule) {
    BOOST_TEST(!has_bad_hop_limit(v6_informational(icmp6::kEchoRequest, 1, "2001:db8::1")));
    DecodedPacket v4 = error(Family::ipv4, 5);
    v4.ttl = 1;
    v4.icmp_type = 133;  // a v4 type number that is ND in v6
    BOOST_TEST(!has_bad_hop_limit(v4));
}

// ---- bad-extension --------------------------------------------------------------------------

BOOST_DATA_TEST_CASE(rfc4884_length_boundaries,
                     boost::unit_test::data::make({124U, 128U, 200U, 201U}) ^
                         boost::unit_test::data::make({true, false, false, true}),
                     length, bad) {
    DecodedPacket p = error(Family::ipv4, 11);
    p.payload_size = 200;
    p.rfc4884_length = length;
    BOOST_TEST(has_bad_extension(p) == bad);
}

BOOST_AUTO_TEST_CASE(absent_rfc4884_length_is_fine) {
    BOOST_TEST(!has_bad_extension(error(Family::ipv6, 1, 1)));
}

// ---- several at once ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_applicable_anomaly_is_set) {
    DecodedPacket p = quoting_icmp(frag_needed(40), 3);
    p.quoted->src = ip("127.0.0.1");
    p.quoted->dst = ip("255.255.255.255");
    p.quoted->dont_fragment = false;
    p.ip_length = 1000;
    p.rfc4884_length = 4;
    BOOST_TEST(plausibility_anomalies(p) ==
               anomaly_set({Anomaly::error_about_error, Anomaly::embedded_mismatch, Anomaly::implausible_mtu,
                            Anomaly::quoted_multicast, Anomaly::quoted_bad_source, Anomaly::oversized_error,
                            Anomaly::bad_extension}));
}

BOOST_AUTO_TEST_CASE(decoder_sets_plausibility_anomalies_from_bytes) {
    using test::PacketBuilder;
    const test::Packet bytes =
        PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
            .frag_needed(1500)
            .quote(PacketBuilder::ipv4("198.51.100.99", "224.0.0.1").udp(1, 2).total_length(1500))
            .build();
    const DecodedPacket p = decode_packet(bytes, {});
    BOOST_TEST(p.anomalies ==
               anomaly_set({Anomaly::embedded_mismatch, Anomaly::implausible_mtu, Anomaly::quoted_multicast}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
