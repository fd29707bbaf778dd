#include "filter/decode/ipv4.h"

namespace icmpgate::decode {

namespace {

// Offsets in the fixed header (RFC 791 3.1) of the fields a header cut short may still hold.
constexpr std::size_t kTtlEnd = 9;        // TTL is octet 8
constexpr std::size_t kProtocolEnd = 10;  // Protocol is octet 9
constexpr std::size_t kSourceEnd = 16;    // Source Address is octets 12-15

// A header shorter than 20 bytes: the fields that are there, and nothing from defaults.
void read_cut_header(Bytes l3, DecodedPacket& packet) noexcept {
    const ByteReader reader{l3};
    if (const auto h = reader.peek_fixed<kTtlEnd>()) packet.ttl = be8<kTtlEnd - 1>(*h);
    if (const auto h = reader.peek_fixed<kProtocolEnd>()) {
        packet.protocol = be8<kProtocolEnd - 1>(*h);
        packet.has_protocol = true;
    }
    if (const auto h = reader.peek_fixed<kSourceEnd>()) {
        packet.src.assign_v4(h->subspan<kSourceEnd - 4, 4>());
        packet.has_src = true;
    }
}

}  // namespace

std::optional<IpPayload> decode_outer_ipv4(Bytes l3, const DecodeOptions& options, DecodedPacket& packet) noexcept {
    packet.is_ip = true;
    packet.family = Family::ipv4;
    const Ipv4HeaderRead read = read_ipv4_header(l3);
    if (read.status == Ipv4HeaderStatus::short_header) {
        // We cannot tell what this carries; a packet claiming to be IPv4 with a broken
        // header is judged (and by default dropped) as a truncated ICMP packet.
        read_cut_header(l3, packet);
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
    packet.has_src = true;
    packet.has_dst = true;
    packet.has_protocol = true;
    packet.ip_length = total_length;
    packet.dont_fragment = h.dont_fragment();
    packet.more_fragments = h.more_fragments();
    packet.fragment_offset = fragment_offset;
    packet.is_fragment = h.is_fragment();

    // The kernel (ip_rcv) never passes such headers on, so they are crafted: malformed
    // headers count as truncated ICMP whatever their protocol byte says.
    const LengthFit fit = fit_declared_length(total_length, l3.size(), options);
    if (read.status != Ipv4HeaderStatus::ok || total_length < header_length) {
        packet.is_icmp = true;
        packet.anomalies.set(Anomaly::truncated);
        return std::nullopt;
    }

    const UpperLayer upper = classify_upper_layer(Family::ipv4, protocol);
    if (fit == LengthFit::truncated) {
        packet.is_icmp = true;
        packet.anomalies.set(Anomaly::truncated);
        // The header is whole: an ICMP header in the bytes that are there is still read.
        if (upper != UpperLayer::icmp || fragment_offset != 0) return std::nullopt;
    } else {
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
    }

    ByteReader reader{l3};
    reader.truncate(total_length);  // drop trailing bytes such as Ethernet padding
    // Header fit was checked above (options_cut), so skipping it cannot fail.
    if (!reader.skip(header_length)) return std::nullopt;
    IpPayload payload;
    payload.bytes = reader.rest();
    payload.declared_length = std::size_t{total_length} - header_length;
    payload.complete = fit == LengthFit::whole;
    payload.truncated = fit == LengthFit::truncated;
    return payload;
}

}  // namespace icmpgate::decode
