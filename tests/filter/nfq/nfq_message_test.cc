#include "filter/nfq/nfq_message.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <vector>

namespace icmpgate::nfq {
namespace {

// Builds a packet message the way the kernel's nfnetlink_queue does, attribute by attribute.
class MessageBuilder {
public:
    MessageBuilder() : buffer_(8192) {
        nlh_ = mnl_nlmsg_put_header(buffer_.data());
        nlh_->nlmsg_type = static_cast<std::uint16_t>((NFNL_SUBSYS_QUEUE << 8U) | NFQNL_MSG_PACKET);
        auto* nfg = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh_, sizeof(nfgenmsg)));
        nfg->nfgen_family = AF_INET;
        nfg->version = NFNETLINK_V0;
        nfg->res_id = htons(0);
    }
    MessageBuilder& header(std::uint32_t id, std::uint16_t hw_protocol) {
        nfqnl_msg_packet_hdr h{};
        h.packet_id = htonl(id);
        h.hw_protocol = htons(hw_protocol);
        mnl_attr_put(nlh_, NFQA_PACKET_HDR, sizeof h, &h);
        return *this;
    }
    MessageBuilder& short_header() {
        const std::uint16_t half = 1;
        mnl_attr_put(nlh_, NFQA_PACKET_HDR, sizeof half, &half);
        return *this;
    }
    MessageBuilder& u32(std::uint16_t type, std::uint32_t value) {
        mnl_attr_put_u32(nlh_, type, htonl(value));
        return *this;
    }
    MessageBuilder& payload(const std::vector<std::uint8_t>& bytes) {
        mnl_attr_put(nlh_, NFQA_PAYLOAD, bytes.size(), bytes.data());
        return *this;
    }
    [[nodiscard]] const nlmsghdr* message() const { return nlh_; }

private:
    std::vector<char> buffer_;
    nlmsghdr* nlh_;
};

const std::vector<std::uint8_t> kBytes{0x45, 0x00, 0x00, 0x1c, 1, 2, 3, 4};

}  // namespace

BOOST_AUTO_TEST_SUITE(nfq_message)

BOOST_AUTO_TEST_CASE(reads_id_protocol_interfaces_and_payload) {
    MessageBuilder b;
    b.header(42, 0x0800).u32(NFQA_IFINDEX_INDEV, 3).u32(NFQA_IFINDEX_OUTDEV, 7).payload(kBytes);
    const ParsedMessage m = parse_packet_message(b.message());
    BOOST_TEST(static_cast<int>(m.error) == static_cast<int>(ParseError::none));
    BOOST_TEST(m.packet.packet_id == 42U);
    BOOST_TEST(m.packet.hw_protocol == 0x0800);
    BOOST_TEST(m.packet.in_ifindex == 3U);
    BOOST_TEST(m.packet.out_ifindex == 7U);
    BOOST_TEST(m.packet.payload.size() == kBytes.size());
    BOOST_TEST(m.packet.payload[0] == 0x45);
    BOOST_TEST(m.packet.wire_length == 0U);
    BOOST_TEST(!m.packet.checksum_not_ready);
}

BOOST_AUTO_TEST_CASE(keeps_wire_length_only_when_the_copy_range_cut_the_packet) {
    MessageBuilder cut;
    cut.header(1, 0x0800).u32(NFQA_CAP_LEN, 1500).payload(kBytes);
    BOOST_TEST(parse_packet_message(cut.message()).packet.wire_length == 1500U);

    MessageBuilder whole;
    whole.header(1, 0x0800).u32(NFQA_CAP_LEN, static_cast<std::uint32_t>(kBytes.size())).payload(kBytes);
    BOOST_TEST(parse_packet_message(whole.message()).packet.wire_length == 0U);
}

BOOST_AUTO_TEST_CASE(reads_checksum_not_ready_and_gso_flags) {
    MessageBuilder b;
    b.header(1, 0x86DD).u32(NFQA_SKB_INFO, NFQA_SKB_CSUMNOTREADY | NFQA_SKB_GSO).payload(kBytes);
    const ParsedMessage m = parse_packet_message(b.message());
    BOOST_TEST(m.packet.checksum_not_ready);
    BOOST_TEST(m.packet.gso);
}

BOOST_AUTO_TEST_CASE(a_missing_packet_header_is_an_error_not_a_crash) {
    MessageBuilder b;
    b.payload(kBytes);
    BOOST_TEST(static_cast<int>(parse_packet_message(b.message()).error) ==
               static_cast<int>(ParseError::no_packet_header));
}

BOOST_AUTO_TEST_CASE(a_short_packet_header_is_rejected) {
    MessageBuilder b;
    b.short_header().payload(kBytes);
    BOOST_TEST(static_cast<int>(parse_packet_message(b.message()).error) ==
               static_cast<int>(ParseError::no_packet_header));
}

BOOST_AUTO_TEST_CASE(a_missing_payload_keeps_the_id_for_a_verdict) {
    MessageBuilder b;
    b.header(9, 0x0800);
    const ParsedMessage m = parse_packet_message(b.message());
    BOOST_TEST(static_cast<int>(m.error) == static_cast<int>(ParseError::no_payload));
    BOOST_TEST(m.packet.packet_id == 9U);
}

BOOST_AUTO_TEST_CASE(a_wrong_sized_interface_attribute_is_ignored) {
    MessageBuilder b;
    b.header(1, 0x0800).payload(kBytes);
    const std::uint16_t two_bytes = 5;
    mnl_attr_put(const_cast<nlmsghdr*>(b.message()), NFQA_IFINDEX_INDEV, sizeof two_bytes, &two_bytes);
    BOOST_TEST(parse_packet_message(b.message()).packet.in_ifindex == 0U);
}

BOOST_AUTO_TEST_CASE(attributes_newer_than_our_headers_are_skipped) {
    MessageBuilder b;
    b.header(5, 0x86DD).u32(NFQA_MAX + 7, 99).u32(NFQA_IFINDEX_OUTDEV, 2).payload(kBytes);
    const ParsedMessage m = parse_packet_message(b.message());
    BOOST_TEST(static_cast<int>(m.error) == static_cast<int>(ParseError::none));
    BOOST_TEST(m.packet.packet_id == 5U);
    BOOST_TEST(m.packet.out_ifindex == 2U);
    BOOST_TEST(m.packet.payload.size() == kBytes.size());
}

BOOST_AUTO_TEST_CASE(the_last_of_a_repeated_attribute_wins) {
    MessageBuilder b;
    b.header(1, 0x0800).u32(NFQA_IFINDEX_INDEV, 3).u32(NFQA_IFINDEX_INDEV, 4).payload(kBytes);
    BOOST_TEST(parse_packet_message(b.message()).packet.in_ifindex == 4U);
}

BOOST_AUTO_TEST_CASE(the_byte_order_and_nested_flags_do_not_change_the_type) {
    MessageBuilder b;
    b.header(1, 0x0800).u32(static_cast<std::uint16_t>(NFQA_IFINDEX_INDEV | NLA_F_NET_BYTEORDER), 6).payload(kBytes);
    BOOST_TEST(parse_packet_message(b.message()).packet.in_ifindex == 6U);
}

BOOST_AUTO_TEST_CASE(an_attribute_running_past_the_message_ends_the_walk) {
    MessageBuilder b;
    b.header(8, 0x0800).u32(NFQA_IFINDEX_INDEV, 3).payload(kBytes);
    auto* nlh = const_cast<nlmsghdr*>(b.message());
    // The payload attribute claims 4 bytes more than the message holds: it and anything
    // after it are not read (libmnl's mnl_attr_ok rule), the earlier attributes are.
    // The payload attribute is the last 12 bytes: a 4-byte header and kBytes (8, aligned).
    auto* payload = reinterpret_cast<nlattr*>(reinterpret_cast<char*>(nlh) + nlh->nlmsg_len - 12);
    BOOST_TEST(payload->nla_type == NFQA_PAYLOAD);
    BOOST_TEST(payload->nla_len == 12U);
    payload->nla_len = 16;
    const ParsedMessage m = parse_packet_message(nlh);
    BOOST_TEST(static_cast<int>(m.error) == static_cast<int>(ParseError::no_payload));
    BOOST_TEST(m.packet.packet_id == 8U);
    BOOST_TEST(m.packet.in_ifindex == 3U);
}

BOOST_AUTO_TEST_CASE(trailing_bytes_shorter_than_an_attribute_header_are_ignored) {
    MessageBuilder b;
    b.header(2, 0x0800).payload(kBytes);
    auto* nlh = const_cast<nlmsghdr*>(b.message());
    nlh->nlmsg_len += 2;  // two stray bytes (zeroed by the builder's buffer)
    const ParsedMessage m = parse_packet_message(nlh);
    BOOST_TEST(static_cast<int>(m.error) == static_cast<int>(ParseError::none));
    BOOST_TEST(m.packet.payload.size() == kBytes.size());
}

BOOST_AUTO_TEST_CASE(a_message_shorter_than_its_headers_has_no_packet_header) {
    MessageBuilder b;
    b.header(2, 0x0800).payload(kBytes);
    auto* nlh = const_cast<nlmsghdr*>(b.message());
    nlh->nlmsg_len = sizeof(nlmsghdr) + 2;  // cuts into nfgenmsg
    BOOST_TEST(static_cast<int>(parse_packet_message(nlh).error) == static_cast<int>(ParseError::no_packet_header));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::nfq
