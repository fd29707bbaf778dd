#include "filter/decode/ipv4.h"

namespace icmpgate::decode {

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

    const Ipv4Header& h = *read.header;
    const std::uint16_t total_length = h.total_length();
    const std::size_t header_length = h.header_length();
    const std::uint8_t protocol = h.protocol();
    const std::uint16_t fragment_offset = h.fragment_offset();
    packet.src.assign_v4(h.src());
    packet.dst.assign_v4(h.dst());
    packet.ttl = h.ttl();
    packet.protocol = protocol;
    packet.ip_length = total_length;
    packet.dont_fragment = h.dont_fragment();
    packet.more_fragments = h.more_fragments();
    packet.fragment_offset = fragment_offset;
    packet.is_fragment = h.is_fragment();

    // The kernel (ip_rcv) never passes such headers on, so they are crafted: malformed
    // headers count as truncated ICMP whatever their protocol byte says.
    const LengthFit fit = fit_declared_length(total_length, l3.size(), options);
    if (read.status != Ipv4HeaderStatus::ok || total_length < header_length || fit == LengthFit::truncated) {
        packet.is_icmp = true;
        packet.anomalies.set(Anomaly::truncated);
        return std::nullopt;
    }

    const UpperLayer upper = classify_upper_layer(Family::ipv4, protocol);
    if (upper == UpperLayer::other) return std::nullopt;
    if (upper == UpperLayer::wrong_family) {
        packet.anomalies.set(Anomaly::wrong_family);
        return std::nullopt;
    }

    packet.is_icmp = true;
    if (fragment_offset != 0) {
        // A non-first fragment carries no ICMP header (RFC 791); nothing more to decode.
        packet.anomalies.set(Anomaly::fragment);
        return std::nullopt;
    }

    ByteReader reader{l3};
    reader.truncate(total_length);  // drop trailing bytes such as Ethernet padding
    // Header fit was checked above (options_cut), so skipping it cannot fail.
    if (!reader.skip(header_length)) return std::nullopt;
    IpPayload payload;
    payload.bytes = reader.rest();
    payload.declared_length = std::size_t{total_length} - header_length;
    payload.complete = fit == LengthFit::whole;
    return payload;
}

}  // namespace icmpgate::decode
