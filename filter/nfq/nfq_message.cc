#include "filter/nfq/nfq_message.h"

#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <cstring>
#include <span>

namespace icmpgate::nfq {
namespace {

constexpr std::size_t align4(std::size_t n) noexcept {
    return (n + 3U) & ~std::size_t{3};
}
constexpr std::size_t kMessageHeader = align4(sizeof(nlmsghdr));
constexpr std::size_t kAttributeHeader = align4(sizeof(nlattr));
constexpr std::uint16_t kAttributeTypeMask = static_cast<std::uint16_t>(~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

// The attributes icmpgate reads. The walk below keeps only these (the last of each type,
// as a table indexed by type would), so the other attributes cost one bounds check each
// and no callback.
struct UsedAttributes {
    std::span<const std::uint8_t> packet_header;
    std::span<const std::uint8_t> in_ifindex;
    std::span<const std::uint8_t> out_ifindex;
    std::span<const std::uint8_t> skb_info;
    std::span<const std::uint8_t> cap_len;
    std::span<const std::uint8_t> payload;
    bool has_packet_header{false};
    bool has_payload{false};
};

// Walks the attributes after nfgenmsg with the checks of libmnl's mnl_attr_ok: a header
// fits in what is left, its length covers the header and stays within what is left. The
// walk ends at the first attribute that fails them (trailing bytes are ignored).
UsedAttributes collect_attributes(const nlmsghdr* message) noexcept {
    UsedAttributes used;
    const std::size_t start = kMessageHeader + align4(sizeof(nfgenmsg));
    if (message->nlmsg_len < start) return used;
    const std::span<const std::uint8_t> all{reinterpret_cast<const std::uint8_t*>(message),  // NOLINT: netlink framing
                                            message->nlmsg_len};
    std::size_t offset = start;
    while (all.size() - offset >= sizeof(nlattr)) {
        nlattr attr{};
        std::memcpy(&attr, all.data() + offset, sizeof attr);
        if (attr.nla_len < kAttributeHeader || attr.nla_len > all.size() - offset) break;
        const std::span<const std::uint8_t> value =
            all.subspan(offset + kAttributeHeader, attr.nla_len - kAttributeHeader);
        switch (attr.nla_type & kAttributeTypeMask) {
            case NFQA_PACKET_HDR:
                used.packet_header = value;
                used.has_packet_header = true;
                break;
            case NFQA_IFINDEX_INDEV:
                used.in_ifindex = value;
                break;
            case NFQA_IFINDEX_OUTDEV:
                used.out_ifindex = value;
                break;
            case NFQA_SKB_INFO:
                used.skb_info = value;
                break;
            case NFQA_CAP_LEN:
                used.cap_len = value;
                break;
            case NFQA_PAYLOAD:
                used.payload = value;
                used.has_payload = true;
                break;
            default:
                break;  // attributes we do not use, including ones newer than our headers
        }
        offset += align4(attr.nla_len);
        if (offset > all.size()) break;
    }
    return used;
}

// A u32 attribute must be exactly 4 bytes (mnl_attr_validate's MNL_TYPE_U32 rule); an
// absent or wrong-sized one is ignored.
bool u32_attribute(std::span<const std::uint8_t> value, std::uint32_t& out) noexcept {
    if (value.size() != sizeof out) return false;
    std::uint32_t network = 0;
    std::memcpy(&network, value.data(), sizeof network);
    out = ntohl(network);
    return true;
}

}  // namespace

ParsedMessage parse_packet_message(const nlmsghdr* message) noexcept {
    ParsedMessage result;
    const UsedAttributes attrs = collect_attributes(message);
    nfqnl_msg_packet_hdr header{};
    if (!attrs.has_packet_header || attrs.packet_header.size() != sizeof header) {
        result.error = ParseError::no_packet_header;
        return result;
    }
    std::memcpy(&header, attrs.packet_header.data(), sizeof header);
    NfqPacket& p = result.packet;
    p.packet_id = ntohl(header.packet_id);
    p.hw_protocol = ntohs(header.hw_protocol);

    std::uint32_t value = 0;
    if (u32_attribute(attrs.in_ifindex, value)) p.in_ifindex = value;
    if (u32_attribute(attrs.out_ifindex, value)) p.out_ifindex = value;
    if (u32_attribute(attrs.skb_info, value)) {
        p.checksum_not_ready = (value & NFQA_SKB_CSUMNOTREADY) != 0;
        p.gso = (value & NFQA_SKB_GSO) != 0;
    }
    if (u32_attribute(attrs.cap_len, value)) p.wire_length = value;

    if (!attrs.has_payload) {
        result.error = ParseError::no_payload;
        return result;
    }
    p.payload = attrs.payload;
    if (p.wire_length <= p.payload.size()) p.wire_length = 0;  // not cut
    return result;
}

}  // namespace icmpgate::nfq
