#include "filter/log/community_id.h"

// OpenSSL 3 deprecates the low-level SHA1_Init/Update/Final, but they are the only SHA-1 in
// libcrypto that hashes on the stack: SHA1() and EVP_Digest* allocate on every call (3 and
// 1 mallocs per digest with OpenSSL 3.0.19, measured), and the log path must not allocate.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <span>

#include "filter/decode/icmp_types.h"

namespace icmpgate::log {
namespace {

constexpr std::uint8_t kIpProtoSctp = 132;
constexpr std::size_t kDigestLength = SHA_DIGEST_LENGTH;  // 20
// Seed (2) + two IPv6 addresses (32) + protocol and padding (2) + two ports (4).
constexpr std::size_t kHashInputMax = 40;

// Request/reply pairs whose two directions form one flow (the spec follows Zeek's
// ICMP4_counterpart / ICMP6_counterpart).
struct TypePair {
    std::uint8_t type;
    std::uint8_t counterpart;
};
// ICMPv4: echo (8/0), timestamp (13/14), information (15/16), router solicitation and
// advertisement (10/9), address mask (17/18).
constexpr std::array<TypePair, 10> kIcmp4Pairs{
    {{8, 0}, {0, 8}, {13, 14}, {14, 13}, {15, 16}, {16, 15}, {10, 9}, {9, 10}, {17, 18}, {18, 17}}};
// ICMPv6: echo (128/129), MLD query/report (130/131), router (133/134) and neighbour
// (135/136) discovery, who-are-you (139/140), home agent address discovery (144/145).
constexpr std::array<TypePair, 12> kIcmp6Pairs{{{128, 129},
                                                {129, 128},
                                                {130, 131},
                                                {131, 130},
                                                {133, 134},
                                                {134, 133},
                                                {135, 136},
                                                {136, 135},
                                                {139, 140},
                                                {140, 139},
                                                {144, 145},
                                                {145, 144}}};

// RFC 4648 section 4 alphabet.
constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

class HashInput {
public:
    void put(std::uint8_t byte) noexcept { bytes_[size_++] = byte; }
    void put16(std::uint16_t value) noexcept {
        put(static_cast<std::uint8_t>(value >> 8U));
        put(static_cast<std::uint8_t>(value & 0xFFU));
    }
    void put(const decode::IpAddress& address) noexcept {
        for (std::size_t i = 0; i < address.size(); ++i) put(address.bytes[i]);
    }
    [[nodiscard]] const unsigned char* data() const noexcept { return bytes_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::array<unsigned char, kHashInputMax> bytes_{};
    std::size_t size_{0};
};

// Is (a, a_port) numerically smaller than (b, b_port)? Addresses compare as big-endian bytes.
bool precedes(const decode::IpAddress& a, std::uint16_t a_port, const decode::IpAddress& b,
              std::uint16_t b_port) noexcept {
    const auto a_bytes = std::span{a.bytes}.first(a.size());
    const auto b_bytes = std::span{b.bytes}.first(b.size());
    if (std::ranges::lexicographical_compare(a_bytes, b_bytes)) return true;
    return std::ranges::equal(a_bytes, b_bytes) && a_port < b_port;
}

// "1:" + base64(SHA-1(input)).
CommunityId render(const HashInput& input) noexcept {
    std::array<unsigned char, kDigestLength> digest{};
    SHA_CTX context;
    SHA1_Init(&context);
    SHA1_Update(&context, input.data(), input.size());
    SHA1_Final(digest.data(), &context);

    CommunityId id;
    std::size_t out = 0;
    id.text[out++] = '1';
    id.text[out++] = ':';
    // Six full 3-byte groups, then the last 2 bytes as three characters and one '='.
    std::size_t in = 0;
    for (; in + 3 <= digest.size(); in += 3) {
        const std::uint32_t group =
            (std::uint32_t{digest[in]} << 16U) | (std::uint32_t{digest[in + 1]} << 8U) | std::uint32_t{digest[in + 2]};
        id.text[out++] = kBase64Alphabet[(group >> 18U) & 0x3FU];
        id.text[out++] = kBase64Alphabet[(group >> 12U) & 0x3FU];
        id.text[out++] = kBase64Alphabet[(group >> 6U) & 0x3FU];
        id.text[out++] = kBase64Alphabet[group & 0x3FU];
    }
    static_assert(kDigestLength % 3 == 2);
    const std::uint32_t tail = (std::uint32_t{digest[in]} << 16U) | (std::uint32_t{digest[in + 1]} << 8U);
    id.text[out++] = kBase64Alphabet[(tail >> 18U) & 0x3FU];
    id.text[out++] = kBase64Alphabet[(tail >> 12U) & 0x3FU];
    id.text[out++] = kBase64Alphabet[(tail >> 6U) & 0x3FU];
    id.text[out++] = '=';
    return id;
}

}  // namespace

IcmpPorts icmp_port_equivalents(decode::Family family, std::uint8_t type, std::uint8_t code) noexcept {
    const std::span<const TypePair> pairs = family == decode::Family::ipv4 ? std::span<const TypePair>{kIcmp4Pairs}
                                                                           : std::span<const TypePair>{kIcmp6Pairs};
    for (const TypePair& pair : pairs)
        if (pair.type == type) return {type, pair.counterpart, false};
    return {type, code, true};
}

CommunityId community_id_icmp(const decode::IpAddress& src, const decode::IpAddress& dst, std::uint8_t type,
                              std::uint8_t code, std::uint16_t seed) noexcept {
    const IcmpPorts ports = icmp_port_equivalents(src.family, type, code);
    // Two-way messages put the smaller (address, port) first; one-way ones keep their order.
    const bool keep = ports.one_way || precedes(src, ports.source, dst, ports.destination);
    HashInput input;
    input.put16(seed);
    input.put(keep ? src : dst);
    input.put(keep ? dst : src);
    input.put(src.family == decode::Family::ipv4 ? decode::kIpProtoIcmp : decode::kIpProtoIcmpv6);
    input.put(std::uint8_t{0});
    input.put16(keep ? ports.source : ports.destination);
    input.put16(keep ? ports.destination : ports.source);
    return render(input);
}

CommunityId community_id_portless(const decode::IpAddress& src, const decode::IpAddress& dst, std::uint8_t protocol,
                                  std::uint16_t seed) noexcept {
    const bool keep = precedes(src, 0, dst, 0);  // equal addresses: either order hashes the same
    HashInput input;
    input.put16(seed);
    input.put(keep ? src : dst);
    input.put(keep ? dst : src);
    input.put(protocol);
    input.put(std::uint8_t{0});
    return render(input);
}

std::optional<CommunityId> community_id(const decode::DecodedPacket& packet, std::uint16_t seed) noexcept {
    if (!packet.is_ip || !packet.has_src || !packet.has_dst || !packet.has_protocol) return std::nullopt;
    const std::uint8_t own_icmp = packet.family == decode::Family::ipv4 ? decode::kIpProtoIcmp : decode::kIpProtoIcmpv6;
    if (packet.protocol == own_icmp) {
        if (!packet.has_icmp_header) return std::nullopt;
        return community_id_icmp(packet.src, packet.dst, packet.icmp_type, packet.icmp_code, seed);
    }
    switch (packet.protocol) {
        case decode::kIpProtoIcmp:
        case decode::kIpProtoIcmpv6:
        case decode::kIpProtoTcp:
        case decode::kIpProtoUdp:
        case kIpProtoSctp:
            return std::nullopt;
        default:
            return community_id_portless(packet.src, packet.dst, packet.protocol, seed);
    }
}

}  // namespace icmpgate::log
