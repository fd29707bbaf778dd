#include "filter/decode/embedded.h"

#include "filter/decode/icmp.h"
#include "filter/decode/ip_payload.h"
#include "filter/decode/ipv4.h"
#include "filter/decode/ipv6.h"

namespace icmpgate::decode {

namespace {

constexpr std::uint8_t kIpProtoDccp = 33;
constexpr std::uint8_t kIpProtoSctp = 132;
constexpr std::uint8_t kIpProtoUdpLite = 136;
constexpr std::size_t kIcmpTypeCodeLength = 2;
constexpr unsigned kVersionShift = 4;

constexpr bool has_ports(std::uint8_t protocol) noexcept {
    return protocol == kIpProtoTcp || protocol == kIpProtoUdp || protocol == kIpProtoSctp || protocol == kIpProtoDccp ||
           protocol == kIpProtoUdpLite;
}

// How far a quoted IP header (with its options or extension chain) decoded.
enum class QuotedHeader : std::uint8_t {
    ok,         // the header decoded; `upper` holds the upper-layer bytes of the quote
    ran_out,    // the quote's bytes ended inside the header (short header, options or chain cut)
    malformed,  // the header contradicts itself: IHL < 5, a declared length shorter than the
                // header (or than its extension chain), a chain over the walk's bound
};

struct QuotedIp {
    QuotedHeader status{QuotedHeader::malformed};
    Bytes upper;                           // the upper-layer bytes, bounded by the declared length
    std::size_t declared_upper_length{0};  // upper-layer bytes the quoted header declares
};

constexpr QuotedIp not_decoded(QuotedHeader status) noexcept {
    QuotedIp ip;
    ip.status = status;
    return ip;
}

// The quoted datagram ends where its own header says it does: the quote is bounded by
// min(bytes present, declared length). Bytes past the declared end (padding, a router's
// trailer) are not the datagram's, so no field is read from them; a declared length past the
// bytes present is normal, a quote is cut by design (RFC 1812 4.3.2.3, RFC 4443 2.4(c)).
ByteReader bounded_quote(Bytes quote, std::size_t declared_length) noexcept {
    ByteReader reader{quote};
    reader.truncate(declared_length);
    return reader;
}

// Fills the IP-layer fields of a quoted IPv4 header.
QuotedIp read_quoted_ipv4(Bytes quote, QuotedPacket& quoted) noexcept {
    const Ipv4HeaderRead read = read_ipv4_header(quote);
    if (read.status == Ipv4HeaderStatus::short_header || read.status == Ipv4HeaderStatus::options_cut)
        return not_decoded(QuotedHeader::ran_out);
    if (read.status != Ipv4HeaderStatus::ok) return not_decoded(QuotedHeader::malformed);  // IHL < 5
    const Ipv4Header& h = *read.header;
    const std::size_t header_length = h.header_length();
    // RFC 791: Total Length counts the header; a datagram shorter than its own header is not one.
    if (h.total_length() < header_length) return not_decoded(QuotedHeader::malformed);
    quoted.family = Family::ipv4;
    quoted.protocol = h.protocol();
    quoted.src.assign_v4(h.src());
    quoted.dst.assign_v4(h.dst());
    quoted.total_length = h.total_length();
    quoted.ttl = h.ttl();
    quoted.dont_fragment = h.dont_fragment();
    quoted.more_fragments = h.more_fragments();
    quoted.fragment_offset = h.fragment_offset();
    quoted.has_fragment_header = h.is_fragment();
    quoted.header_length = static_cast<std::uint16_t>(header_length);
    ByteReader reader = bounded_quote(quote, h.total_length());
    if (!reader.skip(header_length)) return not_decoded(QuotedHeader::ran_out);  // checked by read_ipv4_header
    return {QuotedHeader::ok, reader.rest(), std::size_t{h.total_length()} - header_length};
}

// Same for IPv6: the fixed header plus the whole extension chain must be in the quote,
// otherwise the upper layer cannot be found (RFC 4443 2.4(d)). The chain is walked over at
// most 40 + Payload Length bytes: what follows is not the quoted datagram's.
QuotedIp read_quoted_ipv6(Bytes quote, QuotedPacket& quoted) noexcept {
    const std::optional<Ipv6Header> header = read_ipv6_header(quote);
    if (!header) return not_decoded(QuotedHeader::ran_out);
    ByteReader reader{quote};
    if (!reader.skip(kIpv6Header)) return not_decoded(QuotedHeader::ran_out);   // checked by read_ipv6_header
    const std::size_t declared = declared_ipv6_length(*header, reader.rest());  // a quoted jumbogram too
    reader.truncate(declared - kIpv6Header);
    const ExtensionChain chain = walk_extension_chain(header->next_header(), reader.rest());
    if (chain.status == ChainStatus::too_long) return not_decoded(QuotedHeader::malformed);
    if (chain.status == ChainStatus::cut) {
        // Cut where the bytes ended (the quote is shorter than declared), or where the
        // datagram's own Payload Length ended it.
        return not_decoded(quote.size() < declared ? QuotedHeader::ran_out : QuotedHeader::malformed);
    }
    if (!reader.skip(chain.length)) return not_decoded(QuotedHeader::ran_out);  // the walk consumed exactly these bytes
    quoted.family = Family::ipv6;
    quoted.protocol = chain.upper_protocol;
    quoted.src.assign_v6(header->src());
    quoted.dst.assign_v6(header->dst());
    quoted.total_length = static_cast<std::uint32_t>(declared);
    quoted.ttl = header->hop_limit();
    quoted.more_fragments = chain.more_fragments;
    quoted.fragment_offset = chain.fragment_offset;
    quoted.has_fragment_header = chain.has_fragment_header;
    quoted.header_length = static_cast<std::uint16_t>(kIpv6Header + chain.length);
    return {QuotedHeader::ok, reader.rest(), declared - kIpv6Header - chain.length};
}

}  // namespace

bool decode_quoted_transport(QuotedPacket& quoted, Bytes upper_layer) noexcept {
    ByteReader reader{upper_layer};
    const bool complete = reader.peek_fixed<kQuotedTransportPrefix>().has_value();
    // A non-first fragment's data is not a transport header: no fields from it.
    if (quoted.fragment_offset != 0) return complete;

    if (has_ports(quoted.protocol)) {
        if (const auto ports = reader.peek_fixed<kPortsLength>()) {
            quoted.src_port = be16<0>(*ports);
            quoted.dst_port = be16<2>(*ports);
        }
        if (quoted.protocol == kIpProtoTcp) {
            if (const auto tcp = reader.peek_fixed<kQuotedTransportPrefix>()) quoted.tcp_sequence = be32<4>(*tcp);
        }
    } else if (quoted.protocol == icmp_protocol(quoted.family)) {
        if (const auto type_code = reader.peek_fixed<kIcmpTypeCodeLength>()) {
            QuotedIcmp icmp;
            icmp.type = be8<0>(*type_code);
            icmp.code = be8<1>(*type_code);
            if (const auto header = reader.peek_fixed<kIcmpHeader>();
                header && has_echo_fields(quoted.family, icmp.type)) {
                icmp.echo = read_echo(quoted.family, *header);
            }
            quoted.icmp = icmp;
        }
    }
    return complete;
}

QuoteDecode decode_quote(Family outer_family, Bytes quote, std::optional<QuotedPacket>& out) noexcept {
    QuoteDecode result;
    out.reset();
    ByteReader reader{quote};
    const auto first = reader.peek_fixed<1>();
    const unsigned version = first ? (be8<0>(*first) >> kVersionShift) : 0U;
    if (version != static_cast<unsigned>(outer_family)) {
        result.bad_embedded = true;  // empty, not IP, or the other family (Suricata ipv4_unknown_ver)
        result.ran_out = !first;
        return result;
    }

    QuotedPacket& quoted = out.emplace();
    const QuotedIp ip =
        outer_family == Family::ipv4 ? read_quoted_ipv4(quote, quoted) : read_quoted_ipv6(quote, quoted);
    if (ip.status != QuotedHeader::ok) {
        out.reset();
        result.bad_embedded = true;
        result.ran_out = ip.status == QuotedHeader::ran_out;
        return result;
    }
    quoted.transport_complete = decode_quoted_transport(quoted, ip.upper);
    result.bad_embedded = !quoted.transport_complete;
    // Short of 8 upper-layer bytes because the quote ended, or because the datagram declares
    // fewer (no TCP, UDP or ICMP datagram is that short): only the first is a cut capture's doing.
    result.ran_out = !quoted.transport_complete && ip.declared_upper_length >= kQuotedTransportPrefix;
    return result;
}

}  // namespace icmpgate::decode
