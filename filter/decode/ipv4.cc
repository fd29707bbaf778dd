#include "filter/decode/ipv4.h"

namespace icmpgate::decode {

namespace {

constexpr std::uint8_t kIhlMask = 0x0F;
constexpr std::uint16_t kDontFragmentBit = 0x4000;
constexpr std::uint16_t kMoreFragmentsBit = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1FFF;

}  // namespace

Ipv4HeaderRead read_ipv4_header(Bytes bytes) noexcept {
    Ipv4HeaderRead read;
    ByteReader reader{bytes};
    const auto fixed = reader.peek_fixed<kIpv4MinHeader>();
    if (!fixed) return read;

    const FixedBytes<kIpv4MinHeader> h = *fixed;
    Ipv4Header& header = read.header;
    const std::size_t ihl = be8<0>(h) & kIhlMask;
    header.header_length = ihl * kIpv4HeaderUnit;
    header.total_length = be16<2>(h);
    const std::uint16_t flags_offset = be16<6>(h);
    header.dont_fragment = (flags_offset & kDontFragmentBit) != 0;
    header.more_fragments = (flags_offset & kMoreFragmentsBit) != 0;
    header.fragment_offset = static_cast<std::uint16_t>(flags_offset & kFragmentOffsetMask);
    header.ttl = be8<8>(h);
    header.protocol = be8<9>(h);
    header.src = IpAddress::v4(h.subspan<12, 4>());
    header.dst = IpAddress::v4(h.subspan<16, 4>());

    if (ihl < kIpv4MinIhl) {
        read.status = Ipv4HeaderStatus::bad_ihl;
    } else if (header.header_length > bytes.size()) {
        read.status = Ipv4HeaderStatus::options_cut;
    } else {
        read.status = Ipv4HeaderStatus::ok;
    }
    return read;
}

std::optional<IpPayload> decode_outer_ipv4(Bytes l3, const DecodeOptions& options, DecodedPacket& packet) noexcept {
    packet.is_ip = true;
    packet.family = Family::ipv4;
    const Ipv4HeaderRead read = read_ipv4_header(l3);
    if (read.status == Ipv4HeaderStatus::short_header) {
        // We cannot tell what this carries; a packet claiming to be IPv4 with a broken
        // header is judged (and by default dropped) as a truncated ICMP packet.
        packet.is_icmp = true;
        packet.anomalies.set(Anomaly::truncated);
        return std::nullopt;
    }

    const Ipv4Header& h = read.header;
    packet.src = h.src;
    packet.dst = h.dst;
    packet.ttl = h.ttl;
    packet.protocol = h.protocol;
    packet.ip_length = h.total_length;
    packet.dont_fragment = h.dont_fragment;
    packet.more_fragments = h.more_fragments;
    packet.fragment_offset = h.fragment_offset;
    packet.is_fragment = h.is_fragment();

    // The kernel (ip_rcv) never passes such headers on, so they are crafted: malformed
    // headers count as truncated ICMP whatever their protocol byte says.
    const LengthFit fit = fit_declared_length(h.total_length, l3.size(), options);
    if (read.status != Ipv4HeaderStatus::ok || h.total_length < h.header_length || fit == LengthFit::truncated) {
        packet.is_icmp = true;
        packet.anomalies.set(Anomaly::truncated);
        return std::nullopt;
    }

    const UpperLayer upper = classify_upper_layer(Family::ipv4, h.protocol);
    if (upper == UpperLayer::other) return std::nullopt;
    if (upper == UpperLayer::wrong_family) {
        packet.anomalies.set(Anomaly::wrong_family);
        return std::nullopt;
    }

    packet.is_icmp = true;
    if (h.fragment_offset != 0) {
        // A non-first fragment carries no ICMP header (RFC 791); nothing more to decode.
        packet.anomalies.set(Anomaly::fragment);
        return std::nullopt;
    }

    ByteReader reader{l3};
    reader.truncate(h.total_length);  // drop trailing bytes such as Ethernet padding
    // Header fit was checked above (options_cut), so skipping it cannot fail.
    if (!reader.skip(h.header_length)) return std::nullopt;
    IpPayload payload;
    payload.bytes = reader.rest();
    payload.declared_length = std::size_t{h.total_length} - h.header_length;
    payload.complete = fit == LengthFit::whole;
    return payload;
}

}  // namespace icmpgate::decode
