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
    return protocol == kIpProtoTcp || protocol == kIpProtoUdp || protocol == kIpProtoSctp ||
           protocol == kIpProtoDccp || protocol == kIpProtoUdpLite;
}

// Fills the IP-layer fields of a quoted IPv4 header; returns the upper-layer bytes, or
// nullopt when IHL < 5 or the header (options included) is not all there.
std::optional<Bytes> read_quoted_ipv4(Bytes quote, QuotedPacket& quoted) noexcept {
    const Ipv4HeaderRead read = read_ipv4_header(quote);
    if (read.status != Ipv4HeaderStatus::ok) return std::nullopt;
    const Ipv4Header& h = *read.header;
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
    quoted.header_length = static_cast<std::uint16_t>(h.header_length());
    ByteReader reader{quote};
    if (!reader.skip(h.header_length())) return std::nullopt;
    return reader.rest();
}

// Same for IPv6: the fixed header plus the whole extension chain must be in the quote,
// otherwise the upper layer cannot be found (RFC 4443 2.4(d)).
std::optional<Bytes> read_quoted_ipv6(Bytes quote, QuotedPacket& quoted) noexcept {
    const std::optional<Ipv6Header> header = read_ipv6_header(quote);
    if (!header) return std::nullopt;
    ByteReader reader{quote};
    if (!reader.skip(kIpv6Header)) return std::nullopt;
    const ExtensionChain chain = walk_extension_chain(header->next_header(), reader.rest());
    if (chain.status != ChainStatus::complete) return std::nullopt;
    if (!reader.skip(chain.length)) return std::nullopt;
    quoted.family = Family::ipv6;
    quoted.protocol = chain.upper_protocol;
    quoted.src.assign_v6(header->src());
    quoted.dst.assign_v6(header->dst());
    quoted.total_length = static_cast<std::uint32_t>(kIpv6Header + header->payload_length());
    quoted.ttl = header->hop_limit();
    quoted.more_fragments = chain.more_fragments;
    quoted.fragment_offset = chain.fragment_offset;
    quoted.has_fragment_header = chain.has_fragment_header;
    quoted.header_length = static_cast<std::uint16_t>(kIpv6Header + chain.length);
    return reader.rest();
}

// Why a quoted IP header did not decode: the bytes ended (short header, options or chain
// cut), rather than a malformed header (IHL < 5, a chain over the walk's bound).
bool quote_ran_out(Family family, Bytes quote) noexcept {
    if (family == Family::ipv4) return read_ipv4_header(quote).status != Ipv4HeaderStatus::bad_ihl;
    const std::optional<Ipv6Header> header = read_ipv6_header(quote);
    if (!header) return true;
    ByteReader reader{quote};
    if (!reader.skip(kIpv6Header)) return true;
    return walk_extension_chain(header->next_header(), reader.rest()).status == ChainStatus::cut;
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
            if (const auto header = reader.peek_fixed<kIcmpHeader>(); header && has_echo_fields(quoted.family, icmp.type)) {
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
    const std::optional<Bytes> upper =
        outer_family == Family::ipv4 ? read_quoted_ipv4(quote, quoted) : read_quoted_ipv6(quote, quoted);
    if (!upper) {
        out.reset();
        result.bad_embedded = true;
        result.ran_out = quote_ran_out(outer_family, quote);
        return result;
    }
    quoted.transport_complete = decode_quoted_transport(quoted, *upper);
    result.bad_embedded = !quoted.transport_complete;
    result.ran_out = !quoted.transport_complete;
    return result;
}

}  // namespace icmpgate::decode
