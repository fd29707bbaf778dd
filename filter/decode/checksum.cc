#include "filter/decode/checksum.h"

#include "filter/decode/icmp_types.h"

namespace icmpgate::decode {

namespace {
constexpr std::size_t kIpv6AddressBytes = 16;

// An IPv6 address as whole words (four additions instead of a byte-pair loop); an address of
// the other family (never from the decoder) as its bytes.
void add_address(InternetChecksum& sum, const IpAddress& address) noexcept {
    if (address.family == Family::ipv6) {
        sum.add(FixedBytes<kIpv6AddressBytes>{address.bytes});
    } else {
        sum.add(Bytes{address.bytes.data(), address.size()});
    }
}

}  // namespace

void add_ipv6_pseudo_header(InternetChecksum& sum, const IpAddress& src, const IpAddress& dst,
                            std::uint32_t upper_layer_length, std::uint8_t next_header) noexcept {
    add_address(sum, src);
    add_address(sum, dst);
    sum.add_u32(upper_layer_length);
    sum.add_u32(next_header);  // three zero octets, then the next header value
}

bool icmpv4_checksum_verifies(Bytes message) noexcept {
    InternetChecksum sum;
    sum.add(message);
    return sum.verifies();
}

bool icmpv6_checksum_verifies(const IpAddress& src, const IpAddress& dst, Bytes message) noexcept {
    InternetChecksum sum;
    add_ipv6_pseudo_header(sum, src, dst, static_cast<std::uint32_t>(message.size()), kIpProtoIcmpv6);
    sum.add(message);
    return sum.verifies();
}

}  // namespace icmpgate::decode
