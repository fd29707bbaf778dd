#pragma once
// Fuzz body: decode_packet() over arbitrary bytes, whole and as a cut capture with the
// checksum not ready, checking what every DecodedPacket must satisfy.

#include <cstddef>
#include <cstdint>
#include <limits>

#include "filter/decode/decode.h"
#include "tests/fuzz/fuzz_support.h"

namespace icmpgate::fuzz {

inline constexpr std::size_t kIpv4MinHeader = 20;
inline constexpr std::size_t kIpv6Header = 40;
inline constexpr std::size_t kIcmpHeaderBytes = 8;
// How far beyond the bytes the "cut capture" variant claims the packet went on.
inline constexpr std::uint32_t kCutExtra = 64;

inline void check_decoded(const decode::DecodedPacket& p, const decode::DecodeOptions& options) {
    using decode::ChecksumState;
    ICMPGATE_FUZZ_CHECK((p.anomalies.bits() >> decode::kAnomalyCount) == 0U);
    ICMPGATE_FUZZ_CHECK(!p.is_icmp || p.is_ip);
    ICMPGATE_FUZZ_CHECK(!p.quoted || p.is_icmp);
    ICMPGATE_FUZZ_CHECK(!p.quoted || p.has_icmp_header);
    ICMPGATE_FUZZ_CHECK(!p.has_icmp_header || p.is_icmp);
    // Only what was read is reported: an ICMP header means the whole IP header was read.
    ICMPGATE_FUZZ_CHECK(!p.has_icmp_header || (p.has_src && p.has_dst && p.has_protocol));
    ICMPGATE_FUZZ_CHECK(p.is_ip || (!p.has_src && !p.has_dst && !p.has_protocol));
    // A truncated packet's message is not all there: its checksum is not judged.
    if (p.anomalies.test(decode::Anomaly::truncated)) ICMPGATE_FUZZ_CHECK(p.checksum == ChecksumState::not_judged);
    if (!p.has_icmp_header) {
        ICMPGATE_FUZZ_CHECK(p.payload_size == 0);
        ICMPGATE_FUZZ_CHECK(p.checksum == ChecksumState::not_judged);
        ICMPGATE_FUZZ_CHECK(!p.echo && !p.mtu && !p.pointer && !p.gateway);
    } else {
        // payload_size counts the bytes after the ICMP header inside the declared IP length.
        const std::size_t min_ip_header = p.family == decode::Family::ipv4 ? kIpv4MinHeader : kIpv6Header;
        ICMPGATE_FUZZ_CHECK(std::size_t{p.payload_size} + kIcmpHeaderBytes + min_ip_header <= p.ip_length);
    }
    if (!options.checksum_verifiable || options.wire_length != 0) {
        ICMPGATE_FUZZ_CHECK(p.checksum == ChecksumState::not_judged);
    }
    ICMPGATE_FUZZ_CHECK((p.checksum == ChecksumState::invalid) == p.anomalies.test(decode::Anomaly::bad_checksum));
    if (p.rfc4884_length) ICMPGATE_FUZZ_CHECK(*p.rfc4884_length != 0);
    if (p.quoted) {
        ICMPGATE_FUZZ_CHECK(!p.quoted->src_port == !p.quoted->dst_port);
    }
}

inline int decode_one(const std::uint8_t* data, std::size_t size) {
    const decode::Bytes bytes{data, size};
    const decode::DecodeOptions whole{};
    decode::DecodeOptions cut{};
    cut.checksum_verifiable = false;
    cut.wire_length = size > std::numeric_limits<std::uint32_t>::max() - kCutExtra
                          ? std::numeric_limits<std::uint32_t>::max()
                          : static_cast<std::uint32_t>(size) + kCutExtra;
    for (const decode::DecodeOptions& options : {whole, cut}) {
        const decode::DecodedPacket first = decode::decode_packet(bytes, options);
        check_decoded(first, options);
        // Pure: the same bytes decode the same way.
        ICMPGATE_FUZZ_CHECK(decode::decode_packet(bytes, options) == first);
    }
    return 0;
}

}  // namespace icmpgate::fuzz
