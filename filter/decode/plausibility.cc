#include "filter/decode/plausibility.h"

#include "filter/decode/icmp.h"
#include "filter/decode/icmp_types.h"
#include "filter/decode/ip_payload.h"

namespace icmpgate::decode {

namespace {

namespace v6 {
constexpr std::uint8_t kMldQuery = 130;
constexpr std::uint8_t kMldReport = 131;
constexpr std::uint8_t kMldDone = 132;
constexpr std::uint8_t kMldv2Report = 143;
constexpr std::uint8_t kRouterSolicitation = 133;
constexpr std::uint8_t kInverseNdSolicitation = 141;
constexpr std::uint8_t kInverseNdAdvertisement = 142;
constexpr std::uint8_t kCertificationPathSolicitation = 148;
constexpr std::uint8_t kCertificationPathAdvertisement = 149;
}  // namespace v6

bool is_error_with_quote(const DecodedPacket& packet) noexcept {
    return packet.has_icmp_header && is_error_type(packet.family, packet.icmp_type) && packet.quoted.has_value();
}

bool is_v4_frag_needed(const DecodedPacket& packet) noexcept {
    return packet.family == Family::ipv4 && packet.icmp_type == icmp4::kDestUnreachable &&
           packet.icmp_code == icmp4::kCodeFragNeeded;
}

bool is_neighbor_discovery(std::uint8_t type) noexcept {
    // RS, RA, NS, NA, Redirect (133-137); Inverse ND (141, 142, RFC 3122); SEND CPS/CPA (RFC 3971).
    return (type >= v6::kRouterSolicitation && type <= icmp6::kRedirect) || type == v6::kInverseNdSolicitation ||
           type == v6::kInverseNdAdvertisement || type == v6::kCertificationPathSolicitation ||
           type == v6::kCertificationPathAdvertisement;
}

bool is_mld(std::uint8_t type) noexcept {
    return type == v6::kMldQuery || type == v6::kMldReport || type == v6::kMldDone || type == v6::kMldv2Report;
}

bool is_unspecified(const IpAddress& address) noexcept {
    for (const std::uint8_t byte : address.bytes)
        if (byte != 0) return false;
    return true;
}

bool quotes_an_error(Family family, const QuotedPacket& q) noexcept {
    // Only a first fragment carries the quoted ICMP header; a later one is quoted-fragment.
    return q.fragment_offset == 0 && q.protocol == icmp_protocol(family) && q.icmp.has_value() &&
           must_not_be_quoted_by_error(family, q.icmp->type);
}

bool quotes_multicast(const DecodedPacket& packet, const QuotedPacket& q) noexcept {
    if (!q.dst.is_multicast_or_broadcast()) return false;
    if (packet.family == Family::ipv6) {
        // RFC 4443 2.4(e.3). The further condition on code 2 (option type bits "10") is not
        // checked: it would need the option byte the pointer designates.
        if (packet.icmp_type == icmp6::kPacketTooBig) return false;
        if (packet.icmp_type == icmp6::kParameterProblem && packet.icmp_code == icmp6::kCodeUnrecognizedOption)
            return false;
    }
    return true;
}

}  // namespace

bool is_error_about_error(const DecodedPacket& packet) noexcept {
    return is_error_with_quote(packet) && quotes_an_error(packet.family, *packet.quoted);
}

bool has_embedded_mismatch(const DecodedPacket& packet) noexcept {
    return is_error_with_quote(packet) && packet.quoted->src != packet.dst;
}

bool has_implausible_mtu(const DecodedPacket& packet) noexcept {
    if (!packet.has_icmp_header || !packet.mtu) return false;
    const std::uint32_t mtu = *packet.mtu;
    const std::optional<QuotedPacket>& q = packet.quoted;
    if (is_v4_frag_needed(packet)) {
        // The MTU-only rule needs no quote; the others compare with it when it decoded.
        if (mtu != 0 && mtu < kIpv4MinMtu) return true;
        if (!q) return false;
        // RFC 1191 4: routers send Frag Needed only for datagrams with DF set that exceed the MTU.
        return (mtu != 0 && mtu >= q->total_length) || !q->dont_fragment;
    }
    if (packet.family == Family::ipv6 && packet.icmp_type == icmp6::kPacketTooBig) {
        if (mtu < kIpv6MinMtu) return true;  // RFC 8201 4: must be discarded
        return q.has_value() && mtu >= q->total_length;
    }
    return false;
}

bool has_quoted_fragment(const DecodedPacket& packet) noexcept {
    return is_error_with_quote(packet) && packet.quoted->fragment_offset != 0;
}

bool has_quoted_multicast(const DecodedPacket& packet) noexcept {
    return is_error_with_quote(packet) && quotes_multicast(packet, *packet.quoted);
}

bool has_quoted_bad_source(const DecodedPacket& packet) noexcept {
    return is_error_with_quote(packet) && packet.quoted->src.is_not_single_host();
}

bool is_oversized_error(const DecodedPacket& packet) noexcept {
    if (!packet.has_icmp_header || !is_error_type(packet.family, packet.icmp_type)) return false;
    const std::uint32_t limit = packet.family == Family::ipv6 ? kIpv6MaxErrorLength : kIpv4MaxErrorLength;
    return packet.ip_length > limit;
}

bool has_bad_hop_limit(const DecodedPacket& packet) noexcept {
    if (!packet.has_icmp_header || packet.family != Family::ipv6) return false;
    const std::uint8_t type = packet.icmp_type;
    if (is_neighbor_discovery(type)) return packet.ttl != kNeighborDiscoveryHopLimit;
    if (!is_mld(type)) return false;
    if (packet.ttl != kMldHopLimit) return true;
    // RFC 2710 3 / RFC 3810 5: link-local source. RFC 3590 4 and RFC 3810 5.2.13 allow the
    // unspecified address for Reports sent before the node has a link-local address (DAD).
    const bool report = type == v6::kMldReport || type == v6::kMldv2Report;
    if (report && is_unspecified(packet.src)) return false;
    return !packet.src.is_link_local_v6();
}

bool has_bad_extension(const DecodedPacket& packet) noexcept {
    // rfc4884_length is only read on the types that define it (v4 3/11/12, v6 1/3).
    if (!packet.has_icmp_header || !packet.rfc4884_length) return false;
    const std::uint32_t length = *packet.rfc4884_length;
    // "Past the message" is judged against the declared message: a capture cut is not the sender's fault.
    return length < kRfc4884MinOriginalDatagram || length > packet.payload_size;
}

AnomalySet plausibility_anomalies(const DecodedPacket& packet) noexcept {
    AnomalySet set;
    // Every check needs the ICMP header, and most apply to error messages with a quote: test
    // those shared conditions once. The quote checks are the predicates' own one-line tests;
    // the longer ones are shared with them (quotes_an_error, quotes_multicast).
    if (!packet.has_icmp_header) return set;
    if (is_error_type(packet.family, packet.icmp_type)) {
        if (packet.quoted) {
            const QuotedPacket& q = *packet.quoted;
            if (quotes_an_error(packet.family, q)) set.set(Anomaly::error_about_error);
            if (q.src != packet.dst) set.set(Anomaly::embedded_mismatch);
            if (q.fragment_offset != 0) set.set(Anomaly::quoted_fragment);
            if (quotes_multicast(packet, q)) set.set(Anomaly::quoted_multicast);
            if (q.src.is_not_single_host()) set.set(Anomaly::quoted_bad_source);
        }
        if (is_oversized_error(packet)) set.set(Anomaly::oversized_error);
    }
    if (packet.mtu && has_implausible_mtu(packet)) set.set(Anomaly::implausible_mtu);
    if (packet.family == Family::ipv6 && has_bad_hop_limit(packet)) set.set(Anomaly::bad_hop_limit);
    if (packet.rfc4884_length && has_bad_extension(packet)) set.set(Anomaly::bad_extension);
    return set;
}

}  // namespace icmpgate::decode
