// Prefix sweep (gcc-friendly fuzz substitute): every prefix of every valid fixture decodes
// without crashing (run it under ASan/UBSan), and every strict prefix is flagged truncated,
// because each cuts the length the packet declares.

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>
#include <vector>

#include "filter/decode/decode.h"
#include "tests/support/packet_builder.h"

namespace icmpgate::decode {
namespace {

using test::Packet;
using test::PacketBuilder;

struct Fixture {
    std::string name;
    Packet bytes;
    ChecksumState checksum_when_whole;
};

std::vector<Fixture> fixtures() {
    const PacketBuilder sent4 = PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").df();
    const PacketBuilder sent6 = PacketBuilder::ipv6("2001:db8:1::7", "2001:db8:2::9");
    const PacketBuilder from4 = PacketBuilder::ipv4("203.0.113.1", "198.51.100.7");
    const PacketBuilder from6 = PacketBuilder::ipv6("2001:db8:ff::1", "2001:db8:1::7");
    PacketBuilder long_chain = sent6;
    for (int i = 0; i < 6; ++i) long_chain.destination_options();
    const auto v = ChecksumState::valid;
    return {
        {"v4 echo", PacketBuilder(from4).echo_request(1, 2).payload_zeros(11).build(), v},
        {"v4 echo with options", PacketBuilder(from4).ipv4_options({7, 7, 4, 0, 0, 0, 0}).echo_reply(1, 2).build(), v},
        {"v4 frag needed quoting tcp",
         PacketBuilder(from4)
             .frag_needed(1400)
             .quote(PacketBuilder(sent4).tcp(44321, 443).total_length(1500), 28)
             .build(),
         v},
        {"v4 time exceeded quoting echo",
         PacketBuilder(from4).time_exceeded().quote(PacketBuilder(sent4).echo_request(3, 4)).build(), v},
        {"v4 port unreachable quoting udp with options",
         PacketBuilder(from4)
             .port_unreachable()
             .quote(PacketBuilder(sent4).ipv4_options({1, 1, 1, 1}).udp(5, 6, 3))
             .build(),
         v},
        {"v4 rfc4884 time exceeded",
         PacketBuilder(from4)
             .time_exceeded()
             .rfc4884_length(32)
             .quote(PacketBuilder(sent4).udp(7, 8))
             .pad_payload_to(128)
             .payload({0x20, 0, 0, 0, 0, 8, 1, 1, 0, 0, 0, 1})
             .build(),
         v},
        {"v4 redirect",
         PacketBuilder(from4).icmp(5, 1).gateway("203.0.113.2").quote(PacketBuilder(sent4).udp(1, 2)).build(), v},
        {"v4 parameter problem", PacketBuilder(from4).icmp(12).pointer(1).quote(PacketBuilder(sent4).udp(1, 2)).build(),
         v},
        {"v4 first fragment", PacketBuilder(from4).mf().echo_request(1, 1).payload_zeros(24).build(),
         ChecksumState::not_judged},
        {"v4 nested error",
         PacketBuilder(from4)
             .time_exceeded()
             .quote(PacketBuilder(sent4).port_unreachable().quote(
                 PacketBuilder::ipv4("203.0.113.9", "198.51.100.7").udp(1, 2)))
             .build(),
         v},
        {"v6 echo", PacketBuilder(from6).echo_request(9, 9).payload_zeros(7).build(), v},
        {"v6 echo behind extension headers",
         PacketBuilder(from6)
             .hop_by_hop()
             .routing(2, 0, {"2001:db8::5"})
             .destination_options(1)
             .echo_request(1, 1)
             .build(),
         v},
        {"v6 packet too big quoting udp behind headers",
         PacketBuilder(from6).packet_too_big(1280).quote(PacketBuilder(sent6).hop_by_hop().udp(1, 2, 1300)).build(), v},
        {"v6 time exceeded quoting a long chain",
         PacketBuilder(from6).time_exceeded().quote(long_chain.tcp(1, 2)).build(), v},
        {"v6 unreachable quoting a fragment",
         PacketBuilder(from6).port_unreachable().quote(PacketBuilder(sent6).fragment_header(0, true).udp(1, 2)).build(),
         v},
        {"v6 redirect",
         PacketBuilder::ipv6("fe80::1", "fe80::2").hop_limit(255).icmp(137).payload(Packet(32, 0xFE)).build(), v},
        {"v6 mldv2 report", PacketBuilder::ipv6("fe80::2", "ff02::16").hop_limit(1).hop_by_hop().icmp(143).build(), v},
        {"v6 first fragment",
         PacketBuilder(from6).fragment_header(0, true).echo_request(1, 1).payload_zeros(16).build(),
         ChecksumState::not_judged},
        {"v6 atomic fragment", PacketBuilder(from6).fragment_header(0, false).echo_request(1, 1).build(), v},
    };
}

const std::vector<Fixture>& all_fixtures() {
    static const std::vector<Fixture> all = fixtures();
    return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decode_prefix)

BOOST_DATA_TEST_CASE(whole_fixture_is_not_truncated_and_its_checksum_is_as_expected,
                     boost::unit_test::data::xrange(all_fixtures().size()), index) {
    const Fixture& f = all_fixtures()[index];
    BOOST_TEST_CONTEXT(f.name) {
        const DecodedPacket p = decode_packet(f.bytes, {});
        BOOST_TEST(p.is_icmp);
        BOOST_TEST(p.has_icmp_header);
        BOOST_TEST(!p.anomalies.test(Anomaly::truncated));
        BOOST_TEST(p.checksum == f.checksum_when_whole);
    }
}

BOOST_DATA_TEST_CASE(every_strict_prefix_is_truncated, boost::unit_test::data::xrange(all_fixtures().size()), index) {
    const Fixture& f = all_fixtures()[index];
    BOOST_TEST_CONTEXT(f.name) {
        BOOST_TEST(!decode_packet(Bytes{}, {}).is_ip);
        for (std::size_t n = 1; n < f.bytes.size(); ++n) {
            BOOST_TEST_CONTEXT("prefix " << n) {
                const DecodedPacket p = decode_packet(Bytes{f.bytes.data(), n}, {});
                BOOST_TEST(p.is_ip);
                BOOST_TEST(p.is_icmp);
                BOOST_TEST(p.anomalies.test(Anomaly::truncated));
                BOOST_TEST(p.checksum == ChecksumState::not_judged);
            }
        }
    }
}

BOOST_DATA_TEST_CASE(every_capture_cut_prefix_decodes_and_is_never_judged,
                     boost::unit_test::data::xrange(all_fixtures().size()), index) {
    const Fixture& f = all_fixtures()[index];
    const DecodeOptions cut{.checksum_verifiable = true, .wire_length = static_cast<std::uint32_t>(f.bytes.size())};
    BOOST_TEST_CONTEXT(f.name) {
        for (std::size_t n = 1; n < f.bytes.size(); ++n) {
            BOOST_TEST_CONTEXT("prefix " << n) {
                const DecodedPacket p = decode_packet(Bytes{f.bytes.data(), n}, cut);
                BOOST_TEST(p.is_icmp);
                BOOST_TEST(p.checksum == ChecksumState::not_judged);
                // Truncated only when the headers themselves are cut, never for the length alone.
                BOOST_TEST(p.anomalies.test(Anomaly::truncated) == !p.has_icmp_header);
            }
        }
    }
}

BOOST_DATA_TEST_CASE(every_single_byte_corruption_keeps_the_decoded_value_consistent,
                     boost::unit_test::data::xrange(all_fixtures().size()), index) {
    // Each byte set to 0x00 and to 0xFF in turn: the decoder must return a value whose facts
    // agree with each other (and, under the sanitizers, must not read out of bounds).
    const Fixture& f = all_fixtures()[index];
    std::size_t inconsistent = 0;
    for (std::size_t at = 0; at < f.bytes.size(); ++at) {
        for (const std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0xFF}}) {
            Packet bytes = f.bytes;
            bytes[at] = value;
            const DecodedPacket p = decode_packet(bytes, {});
            const bool consistent = (!p.is_icmp || p.is_ip) && (!p.has_icmp_header || p.is_icmp) &&
                                    (p.checksum == ChecksumState::not_judged || p.has_icmp_header) &&
                                    (!p.quoted || p.has_icmp_header) && (!p.echo || p.has_icmp_header) &&
                                    (!p.has_icmp_header || (p.has_src && p.has_dst && p.has_protocol));
            if (!consistent) ++inconsistent;
        }
    }
    BOOST_TEST(inconsistent == 0U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
