#include "filter/replay/link_layer.h"

#include <pcap/dlt.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <vector>

namespace {

using icmpgate::replay::is_supported_link_type;
using icmpgate::replay::L3View;
using icmpgate::replay::LinkPayload;
using icmpgate::replay::strip_link_layer;
using Frame = std::vector<std::uint8_t>;

// The first bytes of an IPv4 and an IPv6 header: enough to check where L3 starts.
const Frame kIpv4Start{0x45, 0x00, 0x00, 0x54};
const Frame kIpv6Start{0x60, 0x00, 0x00, 0x00};

Frame concat(const Frame& a, const Frame& b) {
    Frame out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

const Frame kMacs{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};

L3View strip(int link_type, const Frame& frame) {
    return strip_link_layer(link_type, frame);
}

void check_ip(const L3View& view, const Frame& frame, std::size_t header_length) {
    BOOST_TEST(static_cast<int>(view.payload) == static_cast<int>(LinkPayload::ip));
    BOOST_TEST(view.link_header_length == header_length);
    BOOST_TEST(view.l3.size() == frame.size() - header_length);
    BOOST_TEST(view.l3.data() == frame.data() + header_length);
}

void check_not_ip(const L3View& view) {
    BOOST_TEST(static_cast<int>(view.payload) == static_cast<int>(LinkPayload::not_ip));
    BOOST_TEST(view.l3.empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(link_layer)

BOOST_AUTO_TEST_CASE(strips_ethernet_to_ipv4_and_ipv6) {
    const Frame v4 = concat(concat(kMacs, {0x08, 0x00}), kIpv4Start);
    check_ip(strip(DLT_EN10MB, v4), v4, 14);
    const Frame v6 = concat(concat(kMacs, {0x86, 0xDD}), kIpv6Start);
    check_ip(strip(DLT_EN10MB, v6), v6, 14);
}

BOOST_AUTO_TEST_CASE(strips_one_8021q_tag) {
    const Frame frame = concat(concat(kMacs, {0x81, 0x00, 0x00, 0x64, 0x08, 0x00}), kIpv4Start);
    check_ip(strip(DLT_EN10MB, frame), frame, 18);
}

BOOST_AUTO_TEST_CASE(strips_8021ad_outer_and_8021q_inner_tags) {
    const Frame frame = concat(concat(kMacs, {0x88, 0xA8, 0x00, 0x0A, 0x81, 0x00, 0x00, 0x64, 0x86, 0xDD}), kIpv6Start);
    check_ip(strip(DLT_EN10MB, frame), frame, 22);
}

BOOST_AUTO_TEST_CASE(reports_arp_and_other_ethertypes_as_not_ip) {
    check_not_ip(strip(DLT_EN10MB, concat(concat(kMacs, {0x08, 0x06}), Frame(28, 0))));
    check_not_ip(strip(DLT_EN10MB, concat(concat(kMacs, {0x81, 0x00, 0x00, 0x64, 0x88, 0xCC}), Frame(20, 0))));
}

BOOST_AUTO_TEST_CASE(reports_short_ethernet_headers_as_not_ip) {
    check_not_ip(strip(DLT_EN10MB, {}));
    check_not_ip(strip(DLT_EN10MB, Frame(kMacs.begin(), kMacs.end())));
    check_not_ip(strip(DLT_EN10MB, concat(kMacs, {0x08})));
    check_not_ip(strip(DLT_EN10MB, concat(kMacs, {0x81, 0x00, 0x00})));        // tag cut short
    check_not_ip(strip(DLT_EN10MB, concat(kMacs, {0x81, 0x00, 0x00, 0x64})));  // no inner ethertype
}

BOOST_AUTO_TEST_CASE(gives_up_on_a_frame_of_endless_vlan_tags) {
    Frame frame = kMacs;
    for (int i = 0; i < 40; ++i) frame = concat(frame, {0x81, 0x00, 0x00, 0x01});
    frame = concat(concat(frame, {0x08, 0x00}), kIpv4Start);
    check_not_ip(strip(DLT_EN10MB, frame));
}

BOOST_AUTO_TEST_CASE(strips_linux_cooked_v1_by_its_protocol_at_offset_14) {
    const Frame header{0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x02, 0, 0, 0, 0, 1, 0, 0, 0x86, 0xDD};
    const Frame frame = concat(header, kIpv6Start);
    check_ip(strip(DLT_LINUX_SLL, frame), frame, 16);
    Frame arp = header;
    arp[14] = 0x08;
    arp[15] = 0x06;
    check_not_ip(strip(DLT_LINUX_SLL, concat(arp, Frame(28, 0))));
    check_not_ip(strip(DLT_LINUX_SLL, Frame(header.begin(), header.begin() + 15)));
}

BOOST_AUTO_TEST_CASE(strips_linux_cooked_v2_by_its_protocol_at_offset_0) {
    const Frame header{0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
                       0x00, 0x06, 0x02, 0,    0,    0,    0,    1,    0,    0};
    const Frame frame = concat(header, kIpv4Start);
    check_ip(strip(DLT_LINUX_SLL2, frame), frame, 20);
    // The v1 protocol position (offset 14) means nothing in v2.
    Frame misleading = header;
    misleading[0] = 0x08;
    misleading[1] = 0x06;
    misleading[14] = 0x08;
    misleading[15] = 0x00;
    check_not_ip(strip(DLT_LINUX_SLL2, concat(misleading, kIpv4Start)));
    check_not_ip(strip(DLT_LINUX_SLL2, Frame(header.begin(), header.begin() + 19)));
}

BOOST_AUTO_TEST_CASE(passes_raw_ip_link_types_through) {
    for (const int link_type : {DLT_RAW, 101, DLT_IPV4, DLT_IPV6}) {
        check_ip(strip(link_type, kIpv4Start), kIpv4Start, 0);
        BOOST_TEST(is_supported_link_type(link_type));
    }
}

BOOST_AUTO_TEST_CASE(reads_the_loopback_family_in_either_byte_order) {
    const Frame little_endian_inet{0x02, 0x00, 0x00, 0x00};
    const Frame big_endian_inet{0x00, 0x00, 0x00, 0x02};
    const Frame linux_inet6{0x0A, 0x00, 0x00, 0x00};
    const Frame macos_inet6_network_order{0x00, 0x00, 0x00, 0x1E};
    const Frame a = concat(little_endian_inet, kIpv4Start);
    const Frame b = concat(big_endian_inet, kIpv4Start);
    const Frame c = concat(linux_inet6, kIpv6Start);
    const Frame d = concat(macos_inet6_network_order, kIpv6Start);
    check_ip(strip(DLT_NULL, a), a, 4);
    check_ip(strip(DLT_LOOP, b), b, 4);
    check_ip(strip(DLT_NULL, c), c, 4);
    check_ip(strip(DLT_LOOP, d), d, 4);
    check_not_ip(strip(DLT_NULL, concat({0x07, 0x00, 0x00, 0x00}, kIpv4Start)));
    check_not_ip(strip(DLT_NULL, {0x02, 0x00}));
}

BOOST_AUTO_TEST_CASE(strips_ppp_in_hdlc_like_framing) {
    // RFC 1662: address 0xFF, control 0x03, then the two-octet Protocol field.
    BOOST_TEST(is_supported_link_type(DLT_PPP));
    const Frame v4 = concat({0xFF, 0x03, 0x00, 0x21}, kIpv4Start);
    check_ip(strip(DLT_PPP, v4), v4, 4);
    const Frame v6 = concat({0xFF, 0x03, 0x00, 0x57}, kIpv6Start);
    check_ip(strip(DLT_PPP, v6), v6, 4);
}

BOOST_AUTO_TEST_CASE(strips_ppp_without_address_and_control) {
    // RFC 1661 6.6: address and control left out; the frame starts with the Protocol field.
    const Frame v4 = concat({0x00, 0x21}, kIpv4Start);
    check_ip(strip(DLT_PPP, v4), v4, 2);
    const Frame v6 = concat({0x00, 0x57}, kIpv6Start);
    check_ip(strip(DLT_PPP, v6), v6, 2);
}

BOOST_AUTO_TEST_CASE(strips_ppp_with_a_one_octet_protocol_field) {
    // RFC 1661 6.5: a protocol below 0x100 sent as one (odd) octet.
    const Frame v4 = concat({0xFF, 0x03, 0x21}, kIpv4Start);
    check_ip(strip(DLT_PPP, v4), v4, 3);
    const Frame v6 = concat({0x57}, kIpv6Start);
    check_ip(strip(DLT_PPP, v6), v6, 1);
}

BOOST_AUTO_TEST_CASE(reports_other_ppp_protocols_as_not_ip) {
    check_not_ip(strip(DLT_PPP, concat({0xFF, 0x03, 0xC0, 0x21}, {0x09, 0x01, 0x00, 0x08})));            // LCP
    check_not_ip(strip(DLT_PPP, concat({0xFF, 0x03, 0x80, 0x21}, {0x01, 0x01, 0x00, 0x04})));            // IPCP
    check_not_ip(strip(DLT_PPP, concat({0xFF, 0x03, 0x02, 0x81, 0x00, 0x06, 0x41, 0x40}, kIpv4Start)));  // MPLS
    check_not_ip(strip(DLT_PPP, concat({0xFF, 0x03, 0x00, 0x23}, kIpv4Start)));  // OSI, not IPv4
}

BOOST_AUTO_TEST_CASE(reports_ppp_headers_cut_short_as_not_ip) {
    check_not_ip(strip(DLT_PPP, {}));
    check_not_ip(strip(DLT_PPP, {0xFF}));
    check_not_ip(strip(DLT_PPP, {0xFF, 0x03}));
    check_not_ip(strip(DLT_PPP, {0xFF, 0x03, 0x00}));
    check_not_ip(strip(DLT_PPP, {0x00}));
}

BOOST_AUTO_TEST_CASE(refuses_link_types_it_cannot_strip) {
    BOOST_TEST(!is_supported_link_type(DLT_IEEE802_11));
    BOOST_TEST(!is_supported_link_type(DLT_PPP_ETHER));
    check_not_ip(strip(DLT_IEEE802_11, concat(kMacs, kIpv4Start)));
}

BOOST_AUTO_TEST_SUITE_END()
