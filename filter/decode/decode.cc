#include "filter/decode/decode.h"

#include "filter/decode/checksum.h"
#include "filter/decode/embedded.h"
#include "filter/decode/icmp.h"
#include "filter/decode/icmp_extensions.h"
#include "filter/decode/icmp_types.h"
#include "filter/decode/ip_payload.h"
#include "filter/decode/ipv4.h"
#include "filter/decode/ipv6.h"
#include "filter/decode/plausibility.h"

namespace icmpgate::decode {

namespace {

constexpr unsigned kVersionShift = 4;
constexpr unsigned kVersion4 = 4;
constexpr unsigned kVersion6 = 6;

// Judged only where every byte the sender summed is here and known (RFC 792, RFC 4443 2.3: the
// checksum covers the whole ICMP message): not for fragments, cut captures or unknown pseudo-headers.
ChecksumState judge_checksum(const DecodedPacket& packet, const IpPayload& payload,
                             const DecodeOptions& options) noexcept {
    if (!options.checksum_verifiable || packet.is_fragment || !payload.complete) return ChecksumState::not_judged;
    if (packet.family == Family::ipv4) {
        return icmpv4_checksum_verifies(payload.bytes) ? ChecksumState::valid : ChecksumState::invalid;
    }
    // The pseudo-header names the final destination (RFC 8200 8.1), which sits inside a
    // routing header that still has segments left: not judged rather than guessed.
    if (!payload.final_destination_known) return ChecksumState::not_judged;
    return icmpv6_checksum_verifies(packet.src, packet.dst, payload.bytes) ? ChecksumState::valid
                                                                           : ChecksumState::invalid;
}

void decode_icmp(const IpPayload& payload, const DecodeOptions& options, DecodedPacket& packet) noexcept {
    ByteReader reader{payload.bytes};
    const auto header = reader.take_fixed<kIcmpHeader>();
    if (!header) {
        packet.anomalies.set(Anomaly::truncated);
        return;
    }
    read_icmp_header(packet.family, *header, reader.rest(), packet);
    // The outer checks guarantee declared_length >= bytes present >= 8.
    packet.payload_size = static_cast<std::uint32_t>(payload.declared_length - kIcmpHeader);
    // A truncated packet (payload.truncated) goes on like a cut capture: its checksum is not
    // judged and its quote is read from the bytes that are there.

    packet.checksum = judge_checksum(packet, payload, options);
    if (packet.checksum == ChecksumState::invalid) packet.anomalies.set(Anomaly::bad_checksum);

    if (is_error_type(packet.family, packet.icmp_type)) {
        // The original datagram field ends where an RFC 4884 extension structure begins.
        ExtensionSplit split{.original_datagram = reader.rest()};
        if (may_carry_extensions(packet, reader.remaining()))
            split = split_icmp_extensions(packet, reader.rest(), payload.complete, packet.extensions);
        if (split.malformed) packet.anomalies.set(Anomaly::bad_extension);
        const QuoteDecode quote = decode_quote(packet.family, split.original_datagram, packet.quoted);
        // Like the checksum, the quote is not judged on bytes a capture cut away: a quote
        // that merely ran out of bytes in a cut capture is not the sender's fault.
        const bool cut_by_capture = quote.ran_out && !payload.complete;
        if (quote.bad_embedded && !cut_by_capture) packet.anomalies.set(Anomaly::bad_embedded);
    }
}

}  // namespace

DecodedPacket decode_packet(Bytes l3, const DecodeOptions& options) noexcept {
    DecodedPacket packet;
    ByteReader reader{l3};
    const auto first = reader.peek_fixed<1>();
    if (!first) return packet;  // empty: not IP

    std::optional<IpPayload> payload;
    switch (static_cast<unsigned>(be8<0>(*first)) >> kVersionShift) {
        case kVersion4:
            payload = decode_outer_ipv4(l3, options, packet);
            break;
        case kVersion6:
            payload = decode_outer_ipv6(l3, options, packet);
            break;
        default:
            return packet;  // not IP
    }
    if (!payload) return packet;

    decode_icmp(*payload, options, packet);
    packet.anomalies.add(plausibility_anomalies(packet));
    return packet;
}

}  // namespace icmpgate::decode
