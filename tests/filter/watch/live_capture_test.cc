#include "filter/watch/live_capture.h"

#include <pcap/pcap.h>

#include <boost/test/unit_test.hpp>
#include <vector>

#include "tests/support/packet_builder.h"

namespace icmpgate::watch {
namespace {

using Frame = std::vector<std::uint8_t>;

// Ethernet: destination, source, then the tags and the ethertype.
Frame ethernet(const Frame& l3, std::vector<std::uint16_t> types) {
    Frame f{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    for (std::size_t i = 0; i < types.size(); ++i) {
        f.push_back(static_cast<std::uint8_t>(types[i] >> 8U));
        f.push_back(static_cast<std::uint8_t>(types[i] & 0xFFU));
        if (i + 1 < types.size()) {  // a tag: TCI (VLAN 100) before the next type
            f.push_back(0x00);
            f.push_back(100);
        }
    }
    f.insert(f.end(), l3.begin(), l3.end());
    return f;
}

// Whether the filter for `link_type` passes `frame` (libpcap's own BPF interpreter).
bool passes(int link_type, const Frame& frame) {
    pcap_t* dead = pcap_open_dead(link_type, 65535);
    BOOST_TEST_REQUIRE(dead != nullptr);
    bpf_program program{};
    const std::string filter = LiveCapture::filter_for(link_type);
    BOOST_TEST_REQUIRE(pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0, pcap_geterr(dead));
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(frame.size());
    header.len = header.caplen;
    const bool match = pcap_offline_filter(&program, &header, frame.data()) != 0;
    pcap_freecode(&program);
    pcap_close(dead);
    return match;
}

const Frame echo4 = test::PacketBuilder::ipv4("192.0.2.10", "203.0.113.34").echo_request(7, 1).build();
const Frame echo6 = test::PacketBuilder::ipv6("2001:db8:1::10", "2001:db8:3::34").echo_request(7, 1).build();
const Frame tcp4 = test::PacketBuilder::ipv4("192.0.2.10", "203.0.113.34").tcp(40000, 443).build();

}  // namespace

BOOST_AUTO_TEST_SUITE(live_capture)

BOOST_AUTO_TEST_CASE(the_ethernet_filter_passes_icmp_untagged_and_under_one_or_two_tags) {
    BOOST_TEST(passes(DLT_EN10MB, ethernet(echo4, {0x0800})));
    BOOST_TEST(passes(DLT_EN10MB, ethernet(echo6, {0x86DD})));
    BOOST_TEST(passes(DLT_EN10MB, ethernet(echo4, {0x8100, 0x0800})));
    BOOST_TEST(passes(DLT_EN10MB, ethernet(echo6, {0x8100, 0x86DD})));
    BOOST_TEST(passes(DLT_EN10MB, ethernet(echo4, {0x88A8, 0x8100, 0x0800})));
}

BOOST_AUTO_TEST_CASE(the_ethernet_filter_keeps_out_everything_else) {
    BOOST_TEST(!passes(DLT_EN10MB, ethernet(tcp4, {0x0800})));
    BOOST_TEST(!passes(DLT_EN10MB, ethernet(tcp4, {0x8100, 0x0800})));
    BOOST_TEST(!passes(DLT_EN10MB, ethernet(Frame(28, 0), {0x0806})));  // ARP
}

BOOST_AUTO_TEST_CASE(raw_ip_links_get_the_plain_filter) {
    BOOST_TEST(LiveCapture::filter_for(DLT_RAW) == "icmp or icmp6");
    BOOST_TEST(passes(DLT_RAW, echo4));
    BOOST_TEST(passes(DLT_RAW, echo6));
    BOOST_TEST(!passes(DLT_RAW, tcp4));
}

BOOST_AUTO_TEST_CASE(the_filter_compiles_for_every_link_type_watch_reads) {
    for (const int link_type :
         {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP, DLT_PPP}) {
        pcap_t* dead = pcap_open_dead(link_type, 65535);
        bpf_program program{};
        const std::string filter = LiveCapture::filter_for(link_type);
        BOOST_TEST(pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0,
                   "link type " << link_type << ": " << pcap_geterr(dead));
        pcap_freecode(&program);
        pcap_close(dead);
    }
}

BOOST_AUTO_TEST_CASE(an_interface_that_does_not_exist_is_refused_with_libpcaps_reason) {
    std::string error;
    const auto capture = LiveCapture::open({.interface = "ig-no-such0"}, error);
    BOOST_TEST(!capture);
    BOOST_TEST(error.find("ig-no-such0") != std::string::npos, error);
}

BOOST_AUTO_TEST_SUITE_END()
}  // namespace icmpgate::watch
