#include "filter/decode/ipv6.h"

namespace icmpgate::decode {

namespace {

constexpr std::uint8_t kRouting = 43;
constexpr std::uint8_t kFragment = 44;
constexpr std::uint8_t kAuthentication = 51;
constexpr std::size_t kFragmentHeader = 8;
constexpr std::size_t kGenericLengthUnit = 8;  // RFC 6564: Hdr Ext Len in 8-octet units, not counting the first 8
constexpr std::size_t kAhLengthUnit = 4;       // RFC 4302 2.2: Payload Len in 4-octet units, minus 2
constexpr std::size_t kAhLengthBias = 2;
constexpr std::size_t kExtensionLead = 2;     // next header, length
constexpr std::size_t kMinRoutingHeader = 4;  // next header, length, routing type, segments left
constexpr unsigned kFragmentOffsetShift = 3;
constexpr std::uint16_t kMoreFragmentsBit = 0x0001;

constexpr std::uint8_t kHopByHop = 0;
// RFC 2675 2: Jumbo Payload option type 0xC2, 4 data bytes; RFC 8200 4.2: Pad1 is a lone byte.
constexpr std::uint8_t kPad1Option = 0;
constexpr std::uint8_t kJumboPayloadOption = 0xC2;
constexpr std::uint8_t kJumboPayloadDataLength = 4;
constexpr std::uint32_t kMinJumboPayloadLength = 65536;
// Above this, 40 + the length would not fit the 32-bit lengths the decoder keeps (no link
// carries such a packet: pcap records and NFQUEUE messages are far shorter).
constexpr std::uint32_t kMaxJumboPayloadLength = 0xFFFF'FFFFU - kIpv6Header;

// Length in bytes of a non-fragment extension header from its second octet.
constexpr std::size_t extension_length(std::uint8_t type, std::uint8_t length_field) noexcept {
    if (type == kAuthentication) return (std::size_t{length_field} + kAhLengthBias) * kAhLengthUnit;
    return (std::size_t{length_field} + 1) * kGenericLengthUnit;
}

// Offsets in the fixed header (RFC 8200 3) of the fields a header cut short may still hold.
constexpr std::size_t kNextHeaderEnd = 7;  // Next Header is octet 6
constexpr std::size_t kHopLimitEnd = 8;    // Hop Limit is octet 7
constexpr std::size_t kSourceEnd = 24;     // Source Address is octets 8-23

// A header shorter than 40 bytes: the fields that are there, and nothing from defaults. The
// next header names the upper-layer protocol only when it is not an extension header.
void read_cut_header(Bytes l3, DecodedPacket& packet) noexcept {
    const ByteReader reader{l3};
    if (const auto h = reader.peek_fixed<kNextHeaderEnd>(); h && !is_extension_header(be8<kNextHeaderEnd - 1>(*h))) {
        packet.protocol = be8<kNextHeaderEnd - 1>(*h);
        packet.has_protocol = true;
    }
    if (const auto h = reader.peek_fixed<kHopLimitEnd>()) packet.ttl = be8<kHopLimitEnd - 1>(*h);
    if (const auto h = reader.peek_fixed<kSourceEnd>()) {
        packet.src.assign_v6(h->subspan<kSourceEnd - 16, 16>());
        packet.has_src = true;
    }
}

// The Jumbo Payload Length in a Hop-by-Hop Options header (RFC 2675 2), or 0 when the header
// is cut or holds no valid Jumbo Payload option. The options are walked within the header's
// own length (at most 2,048 bytes), one TLV at a time (RFC 8200 4.2).
std::uint32_t jumbo_payload_length(Bytes after_header) noexcept {
    ByteReader reader{after_header};
    const auto lead = reader.peek_fixed<kExtensionLead>();
    if (!lead) return 0;
    const std::optional<Bytes> header = reader.take(extension_length(kHopByHop, be8<1>(*lead)));
    if (!header) return 0;
    ByteReader options{*header};
    if (!options.skip(kExtensionLead)) return 0;
    while (const auto type = options.peek_fixed<1>()) {
        if (be8<0>(*type) == kPad1Option) {
            if (!options.skip(1)) return 0;
            continue;
        }
        const auto tl = options.take_fixed<kExtensionLead>();
        if (!tl) return 0;
        const std::optional<Bytes> data = options.take(be8<1>(*tl));
        if (!data) return 0;
        if (be8<0>(*tl) != kJumboPayloadOption) continue;
        const auto value = ByteReader{*data}.peek_fixed<kJumboPayloadDataLength>();
        if (be8<1>(*tl) != kJumboPayloadDataLength || !value) return 0;
        const std::uint32_t length = be32<0>(*value);
        return length >= kMinJumboPayloadLength && length <= kMaxJumboPayloadLength ? length : 0;
    }
    return 0;
}

}  // namespace

std::size_t declared_ipv6_length(const Ipv6Header& header, Bytes after_header) noexcept {
    if (header.payload_length() != 0 || header.next_header() != kHopByHop) return kIpv6Header + header.payload_length();
    return kIpv6Header + jumbo_payload_length(after_header);
}

ExtensionChain walk_extension_chain(std::uint8_t first_next_header, Bytes bytes) noexcept {
    ExtensionChain chain;
    ByteReader reader{bytes};
    std::uint8_t next = first_next_header;
    std::size_t walked = 0;
    while (is_extension_header(next)) {
        if (walked == kMaxExtensionHeaders) {
            chain.status = ChainStatus::too_long;
            break;
        }
        ++walked;
        if (next == kFragment) {
            const auto f = reader.take_fixed<kFragmentHeader>();
            if (!f) {
                chain.status = ChainStatus::cut;
                break;
            }
            const std::uint16_t offset_flags = be16<2>(*f);
            chain.has_fragment_header = true;
            chain.more_fragments = chain.more_fragments || (offset_flags & kMoreFragmentsBit) != 0;
            chain.fragment_offset = static_cast<std::uint16_t>(offset_flags >> kFragmentOffsetShift);
            chain.length += kFragmentHeader;
            next = be8<0>(*f);
            // After a non-first fragment header come data bytes, not headers (RFC 8200 4.5).
            if (chain.fragment_offset != 0) break;
            continue;
        }
        const auto lead = reader.peek_fixed<kExtensionLead>();
        if (!lead) {
            chain.status = ChainStatus::cut;
            break;
        }
        const std::size_t length = extension_length(next, be8<1>(*lead));
        const std::optional<Bytes> header = reader.take(length);
        if (!header) {
            chain.status = ChainStatus::cut;
            break;
        }
        if (next == kRouting) {
            const ByteReader routing{*header};
            if (const auto fixed = routing.peek_fixed<kMinRoutingHeader>(); fixed && be8<3>(*fixed) != 0) {
                chain.routing_segments_left = true;
            }
        }
        chain.length += length;
        next = be8<0>(*lead);
    }
    chain.upper_protocol = next;
    return chain;
}

std::optional<IpPayload> decode_outer_ipv6(Bytes l3, const DecodeOptions& options, DecodedPacket& packet) noexcept {
    packet.is_ip = true;
    packet.family = Family::ipv6;
    const std::optional<Ipv6Header> header = read_ipv6_header(l3);
    if (!header) {
        read_cut_header(l3, packet);
        packet.is_icmp = true;  // cannot tell: judged as a truncated ICMPv6 packet
        packet.anomalies.set(Anomaly::truncated);
        return std::nullopt;
    }
    packet.src.assign_v6(header->src());
    packet.dst.assign_v6(header->dst());
    packet.has_src = true;
    packet.has_dst = true;
    packet.ttl = header->hop_limit();
    ByteReader reader{l3};
    if (!reader.skip(kIpv6Header)) return std::nullopt;                         // checked by read_ipv6_header
    const std::size_t declared = declared_ipv6_length(*header, reader.rest());  // <= 2^32 - 1
    packet.ip_length = static_cast<std::uint32_t>(declared);

    // As for IPv4, a length that does not fit is judged as truncated ICMP whatever the next header.
    const LengthFit fit = fit_declared_length(declared, l3.size(), options);
    reader.truncate(declared - kIpv6Header);  // drop trailing bytes such as Ethernet padding
    const ExtensionChain chain = walk_extension_chain(header->next_header(), reader.rest());
    if (chain.status != ChainStatus::complete) {
        // We cannot tell what follows: the headers do not fit the bytes, or there are more of
        // them than the walk's bound (judged like a truncated packet, under its own name).
        packet.is_icmp = true;
        packet.anomalies.set(chain.status == ChainStatus::too_long ? Anomaly::too_many_extension_headers
                                                                   : Anomaly::truncated);
        return std::nullopt;
    }
    packet.protocol = chain.upper_protocol;
    packet.has_protocol = true;
    packet.more_fragments = chain.more_fragments;
    packet.fragment_offset = chain.fragment_offset;
    // An atomic fragment (offset 0, M 0, RFC 6946) is a whole datagram.
    packet.is_fragment = chain.has_fragment_header && (chain.more_fragments || chain.fragment_offset != 0);

    // For a non-first fragment the protocol is the Fragment header's next header: when that is
    // another extension header, the fragment is simply not recognised as ICMPv6.
    const UpperLayer upper = classify_upper_layer(Family::ipv6, chain.upper_protocol);
    if (fit == LengthFit::truncated) {
        packet.is_icmp = true;
        packet.anomalies.set(Anomaly::truncated);
        // The headers are whole: an ICMPv6 header in the bytes that are there is still read.
        if (upper != UpperLayer::icmp || chain.fragment_offset != 0) return std::nullopt;
    } else {
        if (upper == UpperLayer::other) return std::nullopt;
        if (upper == UpperLayer::wrong_family) {
            packet.anomalies.set(Anomaly::wrong_family);
            return std::nullopt;
        }
        packet.is_icmp = true;
        if (chain.fragment_offset != 0) {
            packet.anomalies.set(Anomaly::fragment);
            return std::nullopt;
        }
    }

    if (!reader.skip(chain.length)) return std::nullopt;  // the walk consumed exactly these bytes
    IpPayload payload;
    payload.bytes = reader.rest();
    payload.declared_length = declared - kIpv6Header - chain.length;
    payload.complete = fit == LengthFit::whole;
    payload.truncated = fit == LengthFit::truncated;
    payload.final_destination_known = !chain.routing_segments_left;
    return payload;
}

}  // namespace icmpgate::decode
