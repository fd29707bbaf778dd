#include "filter/decode/checksum.h"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <vector>

#include "tests/support/packet_builder.h"
#include "tests/support/reference_checksum.h"

namespace icmpgate::decode {
namespace {

using test::Packet;

using test::reference_folded_sum;  // the independent RFC 1071 code of the test support

Packet pattern(std::size_t n) {
    Packet p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(0xF1U - 7U * i);
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checksum)

BOOST_AUTO_TEST_CASE(folded_sum_matches_rfc1071_worked_example) {
    // RFC 1071 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (one's complement).
    const Packet bytes{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    InternetChecksum sum;
    sum.add(bytes);
    BOOST_TEST(sum.folded_sum() == 0xddf2U);
    BOOST_TEST(sum.checksum() == 0x220dU);
}

BOOST_AUTO_TEST_CASE(test_reference_matches_rfc1071_worked_example) {
    // The test support's own RFC 1071 code, which the packet builder uses, on the same example.
    const Packet bytes{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    BOOST_TEST(test::reference_folded_sum(bytes) == 0xddf2U);
    BOOST_TEST(test::reference_checksum(bytes) == 0x220dU);
}

BOOST_AUTO_TEST_CASE(empty_input_sums_to_zero) {
    InternetChecksum sum;
    sum.add(Bytes{});
    BOOST_TEST(sum.folded_sum() == 0U);
    BOOST_TEST(sum.checksum() == 0xFFFFU);
    BOOST_TEST(!sum.verifies());
}

BOOST_AUTO_TEST_CASE(single_byte_is_the_high_half_of_a_word) {
    const Packet bytes{0xAB};
    InternetChecksum sum;
    sum.add(bytes);
    BOOST_TEST(sum.folded_sum() == 0xAB00U);
}

BOOST_DATA_TEST_CASE(folded_sum_matches_reference_for_every_length,
                     boost::unit_test::data::xrange(std::size_t{0}, std::size_t{70}), length) {
    const Packet bytes = pattern(length);
    InternetChecksum sum;
    sum.add(bytes);
    BOOST_TEST(sum.folded_sum() == reference_folded_sum(bytes));
}

BOOST_DATA_TEST_CASE(split_spans_sum_like_their_concatenation,
                     boost::unit_test::data::xrange(std::size_t{0}, std::size_t{13}), split) {
    const Packet bytes = pattern(13);  // odd total: splits put the odd byte on either side
    InternetChecksum whole;
    whole.add(bytes);
    InternetChecksum parts;
    parts.add(Bytes{bytes.data(), split});
    parts.add(Bytes{bytes.data() + split, bytes.size() - split});
    BOOST_TEST(parts.folded_sum() == whole.folded_sum());
}

// Spans of 16 bytes and more are summed 8 bytes at a time in host order: every split of a
// longer message (so the host-order run starts on either parity) against the reference.
BOOST_DATA_TEST_CASE(long_spans_split_anywhere_sum_like_the_reference,
                     boost::unit_test::data::xrange(std::size_t{0}, std::size_t{80}), split) {
    const Packet bytes = pattern(79);
    InternetChecksum parts;
    parts.add(Bytes{bytes.data(), split});
    parts.add(Bytes{bytes.data() + split, bytes.size() - split});
    BOOST_TEST(parts.folded_sum() == reference_folded_sum(bytes));
}

// Words near 0xFFFF... make the 64-bit host-order run carry out of bit 63 on most steps.
BOOST_DATA_TEST_CASE(host_order_run_carries_match_the_reference,
                     boost::unit_test::data::xrange(std::size_t{16}, std::size_t{48}), length) {
    Packet bytes(length);
    for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<std::uint8_t>(i % 5 == 0 ? 0xFEU : 0xFFU);
    InternetChecksum sum;
    sum.add(bytes);
    BOOST_TEST(sum.folded_sum() == reference_folded_sum(bytes));
}

BOOST_AUTO_TEST_CASE(carries_wrap_around_for_all_ones_input) {
    const Packet bytes(1001, 0xFF);  // many carries and an odd tail
    InternetChecksum sum;
    sum.add(bytes);
    BOOST_TEST(sum.folded_sum() == reference_folded_sum(bytes));
}

BOOST_DATA_TEST_CASE(icmpv4_message_with_its_checksum_verifies_for_odd_and_even_lengths,
                     boost::unit_test::data::xrange(std::size_t{0}, std::size_t{9}), data_bytes) {
    Packet message = pattern(8 + data_bytes);
    message[2] = 0;
    message[3] = 0;
    InternetChecksum sum;
    sum.add(message);
    const std::uint16_t value = sum.checksum();
    message[2] = static_cast<std::uint8_t>(value >> 8U);
    message[3] = static_cast<std::uint8_t>(value & 0xFFU);
    BOOST_TEST(icmpv4_checksum_verifies(message));
    message.back() = static_cast<std::uint8_t>(message.back() ^ 0x01U);
    BOOST_TEST(!icmpv4_checksum_verifies(message));
}

BOOST_AUTO_TEST_CASE(all_zero_message_with_zero_checksum_does_not_verify) {
    const Packet message(8, 0);
    BOOST_TEST(!icmpv4_checksum_verifies(message));
}

BOOST_AUTO_TEST_CASE(icmpv6_checksum_covers_the_pseudo_header) {
    const Packet packet =
        test::PacketBuilder::ipv6("2001:db8::1", "2001:db8::2").echo_request(1, 2).payload_zeros(3).build();
    const Packet message(packet.begin() + 40, packet.end());
    const IpAddress src = *parse_ip("2001:db8::1");
    const IpAddress dst = *parse_ip("2001:db8::2");
    const IpAddress other = *parse_ip("2001:db8::3");
    BOOST_TEST(icmpv6_checksum_verifies(src, dst, message));
    BOOST_TEST(!icmpv6_checksum_verifies(src, other, message));
    BOOST_TEST(!icmpv4_checksum_verifies(message));  // ICMPv4 rules leave the pseudo-header out
}

BOOST_AUTO_TEST_CASE(pseudo_header_adds_length_and_next_header_as_32_bit_words) {
    const IpAddress zero_v6 = *parse_ip("::");
    InternetChecksum sum;
    add_ipv6_pseudo_header(sum, zero_v6, zero_v6, 0x00012345U, 58);
    BOOST_TEST(sum.folded_sum() == static_cast<std::uint16_t>(0x0001U + 0x2345U + 58U));
}

BOOST_AUTO_TEST_CASE(words_after_an_odd_byte_sum_like_their_bytes) {
    // add_u16 / add_u32 take one addition on a pair boundary and byte pairs after an odd byte.
    InternetChecksum sum;
    sum.add(Packet{0xAB});
    sum.add_u32(0x12345678U);
    sum.add_u16(0x9ABCU);
    BOOST_TEST(sum.folded_sum() == reference_folded_sum(Packet{0xAB, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC}));
    InternetChecksum even;
    even.add_u32(0xFFFFFFFFU);
    even.add_u16(0x0001U);
    BOOST_TEST(even.folded_sum() == reference_folded_sum(Packet{0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01}));
}

BOOST_DATA_TEST_CASE(pseudo_header_sums_like_its_bytes, boost::unit_test::data::xrange(0, 2), odd_lead) {
    // RFC 8200 8.1 layout written out byte by byte, after an optional odd byte so the
    // addresses start inside a pair.
    const IpAddress src = *parse_ip("2001:db8:ffff:8001:fedc:ba98:7654:3210");
    const IpAddress dst = *parse_ip("fe80::f1e2:d3c4:b5a6:9788");
    Packet bytes;
    if (odd_lead != 0) bytes.push_back(0xC3);
    bytes.insert(bytes.end(), src.bytes.begin(), src.bytes.end());
    bytes.insert(bytes.end(), dst.bytes.begin(), dst.bytes.end());
    const Packet length_and_next_header{0x00, 0x01, 0x23, 0x45, 0x00, 0x00, 0x00, 58};
    bytes.insert(bytes.end(), length_and_next_header.begin(), length_and_next_header.end());
    InternetChecksum sum;
    if (odd_lead != 0) sum.add(Packet{0xC3});
    add_ipv6_pseudo_header(sum, src, dst, 0x00012345U, 58);
    BOOST_TEST(sum.folded_sum() == reference_folded_sum(bytes));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::decode
