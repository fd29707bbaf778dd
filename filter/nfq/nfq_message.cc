#include "filter/nfq/nfq_message.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <array>
#include <cstring>

namespace icmpgate::nfq {
namespace {

using AttrTable = std::array<const nlattr*, NFQA_MAX + 1>;

int collect_attribute(const nlattr* attr, void* data) {
    auto& table = *static_cast<AttrTable*>(data);
    const int type = mnl_attr_get_type(attr);
    // Attributes newer than our headers are skipped, not rejected.
    if (mnl_attr_type_valid(attr, NFQA_MAX) < 0) return MNL_CB_OK;
    table[static_cast<std::size_t>(type)] = attr;
    return MNL_CB_OK;
}

bool u32_attribute(const nlattr* attr, std::uint32_t& out) {
    if (attr == nullptr || mnl_attr_validate(attr, MNL_TYPE_U32) < 0) return false;
    out = ntohl(mnl_attr_get_u32(attr));
    return true;
}

}  // namespace

ParsedMessage parse_packet_message(const nlmsghdr* message) noexcept {
    ParsedMessage result;
    AttrTable attrs{};
    // nfgenmsg precedes the attributes of every nfnetlink message.
    if (mnl_attr_parse(message, sizeof(nfgenmsg), collect_attribute, &attrs) < 0) {
        result.error = ParseError::malformed;
        return result;
    }
    const nlattr* header_attr = attrs[NFQA_PACKET_HDR];
    if (header_attr == nullptr ||
        mnl_attr_validate2(header_attr, MNL_TYPE_UNSPEC, sizeof(nfqnl_msg_packet_hdr)) < 0) {
        result.error = ParseError::no_packet_header;
        return result;
    }
    nfqnl_msg_packet_hdr header{};
    std::memcpy(&header, mnl_attr_get_payload(header_attr), sizeof header);
    NfqPacket& p = result.packet;
    p.packet_id = ntohl(header.packet_id);
    p.hw_protocol = ntohs(header.hw_protocol);

    std::uint32_t value = 0;
    if (u32_attribute(attrs[NFQA_IFINDEX_INDEV], value)) p.in_ifindex = value;
    if (u32_attribute(attrs[NFQA_IFINDEX_OUTDEV], value)) p.out_ifindex = value;
    if (u32_attribute(attrs[NFQA_SKB_INFO], value)) {
        p.checksum_not_ready = (value & NFQA_SKB_CSUMNOTREADY) != 0;
        p.gso = (value & NFQA_SKB_GSO) != 0;
    }
    if (u32_attribute(attrs[NFQA_CAP_LEN], value)) p.wire_length = value;

    const nlattr* payload = attrs[NFQA_PAYLOAD];
    if (payload == nullptr) {
        result.error = ParseError::no_payload;
        return result;
    }
    p.payload = {static_cast<const std::uint8_t*>(mnl_attr_get_payload(payload)), mnl_attr_get_payload_len(payload)};
    if (p.wire_length <= p.payload.size()) p.wire_length = 0;  // not cut
    return result;
}

}  // namespace icmpgate::nfq
