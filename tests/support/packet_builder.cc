#include "tests/support/packet_builder.h"

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>

#include "tests/support/reference_checksum.h"

namespace icmpgate::test {

namespace {

using decode::Family;

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::uint8_t kRoutingType = 43;
constexpr std::uint8_t kFragmentType = 44;
constexpr std::uint8_t kAuthenticationType = 51;
constexpr std::uint8_t kHopByHopType = 0;
constexpr std::uint8_t kDestinationOptionsType = 60;
constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kIcmpHeader = 8;
constexpr std::size_t kTcpHeader = 20;
constexpr std::size_t kUdpHeader = 8;
constexpr std::size_t kExtensionUnit = 8;
constexpr std::size_t kAhFixed = 12;

void put16(Packet& p, std::size_t at, std::uint16_t v) {
    p.at(at) = static_cast<std::uint8_t>(v >> 8U);
    p.at(at + 1) = static_cast<std::uint8_t>(v & 0xFFU);
}

void put32(Packet& p, std::size_t at, std::uint32_t v) {
    put16(p, at, static_cast<std::uint16_t>(v >> 16U));
    put16(p, at + 2, static_cast<std::uint16_t>(v & 0xFFFFU));
}

void append(Packet& to, const Packet& from) {
    to.insert(to.end(), from.begin(), from.end());
}

decode::IpAddress parse(std::string_view text, Family family) {
    const std::optional<decode::IpAddress> a = decode::parse_ip(text);
    if (!a || a->family != family) throw std::invalid_argument("PacketBuilder: bad address " + std::string{text});
    return *a;
}

std::uint16_t to_u16(std::size_t n) {
    if (n > 0xFFFFU) throw std::invalid_argument("PacketBuilder: length over 65535");
    return static_cast<std::uint16_t>(n);
}

}  // namespace

Packet address_bytes(std::string_view text) {
    const std::optional<decode::IpAddress> a = decode::parse_ip(text);
    if (!a) throw std::invalid_argument("address_bytes: bad address " + std::string{text});
    return {a->bytes.begin(), a->bytes.begin() + static_cast<std::ptrdiff_t>(a->size())};
}

decode::AnomalySet anomaly_set(std::initializer_list<decode::Anomaly> anomalies) {
    decode::AnomalySet set;
    for (const decode::Anomaly a : anomalies) set.set(a);
    return set;
}

Packet cut(const Packet& packet, std::size_t n) {
    return {packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(std::min(n, packet.size()))};
}

PacketBuilder::PacketBuilder(Family family, std::string_view src, std::string_view dst)
    : family_{family}, src_{parse(src, family)}, dst_{parse(dst, family)} {}

PacketBuilder PacketBuilder::ipv4(std::string_view src, std::string_view dst) {
    return PacketBuilder{Family::ipv4, src, dst};
}

PacketBuilder PacketBuilder::ipv6(std::string_view src, std::string_view dst) {
    return PacketBuilder{Family::ipv6, src, dst};
}

PacketBuilder& PacketBuilder::ttl(std::uint8_t value) {
    ttl_ = value;
    return *this;
}
PacketBuilder& PacketBuilder::hop_limit(std::uint8_t value) {
    return ttl(value);
}
PacketBuilder& PacketBuilder::identification(std::uint16_t value) {
    identification_ = value;
    return *this;
}
PacketBuilder& PacketBuilder::df(bool set) {
    df_ = set;
    return *this;
}
PacketBuilder& PacketBuilder::mf(bool set) {
    mf_ = set;
    return *this;
}
PacketBuilder& PacketBuilder::fragment_offset(std::uint16_t units) {
    fragment_offset_ = units;
    return *this;
}
PacketBuilder& PacketBuilder::ipv4_options(const Packet& options) {
    ipv4_options_ = options;
    while (ipv4_options_.size() % 4 != 0) ipv4_options_.push_back(0);
    return *this;
}
PacketBuilder& PacketBuilder::ihl(std::uint8_t words) {
    ihl_ = words;
    return *this;
}
PacketBuilder& PacketBuilder::total_length(std::uint16_t value) {
    total_length_ = value;
    return *this;
}
PacketBuilder& PacketBuilder::payload_length(std::uint16_t value) {
    payload_length_ = value;
    return *this;
}
PacketBuilder& PacketBuilder::protocol(std::uint8_t value) {
    protocol_ = value;
    return *this;
}
PacketBuilder& PacketBuilder::bad_ip_checksum() {
    bad_ip_checksum_ = true;
    return *this;
}
PacketBuilder& PacketBuilder::trailing_bytes(std::size_t n) {
    trailing_bytes_ = n;
    return *this;
}

PacketBuilder& PacketBuilder::extension(std::uint8_t type, std::uint8_t extra_units) {
    Packet bytes(kExtensionUnit * (std::size_t{extra_units} + 1), 0);
    bytes[1] = extra_units;
    extensions_.push_back({type, bytes});
    return *this;
}
PacketBuilder& PacketBuilder::jumbo_payload(std::optional<std::uint32_t> length) {
    // Hop-by-Hop header of 8 bytes: next header, length 0, then option 0xC2 with 4 data bytes.
    Packet bytes(kExtensionUnit, 0);
    bytes[2] = 0xC2;
    bytes[3] = 4;
    jumbo_ = true;
    jumbo_length_ = length;
    jumbo_extension_ = extensions_.size();
    extensions_.push_back({kHopByHopType, bytes});
    return *this;
}
PacketBuilder& PacketBuilder::hop_by_hop(std::uint8_t extra_units) {
    return extension(kHopByHopType, extra_units);
}
PacketBuilder& PacketBuilder::destination_options(std::uint8_t extra_units) {
    return extension(kDestinationOptionsType, extra_units);
}
PacketBuilder& PacketBuilder::routing(std::uint8_t routing_type, std::uint8_t segments_left,
                                      const std::vector<std::string_view>& addresses) {
    Packet bytes(kExtensionUnit, 0);
    bytes[1] = static_cast<std::uint8_t>(2 * addresses.size());  // 16-byte addresses = 2 units each
    bytes[2] = routing_type;
    bytes[3] = segments_left;
    for (std::string_view a : addresses) append(bytes, address_bytes(a));
    extensions_.push_back({kRoutingType, bytes});
    return *this;
}
PacketBuilder& PacketBuilder::fragment_header(std::uint16_t offset_units, bool more, std::uint32_t id) {
    Packet bytes(kExtensionUnit, 0);
    put16(bytes, 2, static_cast<std::uint16_t>((static_cast<unsigned>(offset_units) << 3U) | (more ? 1U : 0U)));
    put32(bytes, 4, id);
    extensions_.push_back({kFragmentType, bytes});
    return *this;
}
PacketBuilder& PacketBuilder::authentication_header(std::size_t icv_bytes) {
    if (icv_bytes % 4 != 0) throw std::invalid_argument("PacketBuilder: AH ICV must be a multiple of 4");
    Packet bytes(kAhFixed + icv_bytes, 0);
    bytes[1] = static_cast<std::uint8_t>(bytes.size() / 4 - 2);  // RFC 4302 2.2
    put32(bytes, 4, 0x100);                                      // SPI
    put32(bytes, 8, 1);                                          // sequence number
    extensions_.push_back({kAuthenticationType, bytes});
    return *this;
}

void PacketBuilder::set_icmp(std::uint8_t type, std::uint8_t code) {
    upper_ = Upper::icmp;
    icmp_type_ = type;
    icmp_code_ = code;
    rest_ = {};
}
PacketBuilder& PacketBuilder::icmp(std::uint8_t type, std::uint8_t code) {
    set_icmp(type, code);
    return *this;
}
PacketBuilder& PacketBuilder::echo_request(std::uint16_t id, std::uint16_t sequence) {
    set_icmp(is_v4() ? 8 : 128, 0);
    return echo_fields(id, sequence);
}
PacketBuilder& PacketBuilder::echo_reply(std::uint16_t id, std::uint16_t sequence) {
    set_icmp(is_v4() ? 0 : 129, 0);
    return echo_fields(id, sequence);
}
PacketBuilder& PacketBuilder::frag_needed(std::uint16_t value) {
    if (!is_v4()) throw std::invalid_argument("PacketBuilder: frag_needed is IPv4; use packet_too_big");
    set_icmp(3, 4);
    return mtu(value);
}
PacketBuilder& PacketBuilder::packet_too_big(std::uint32_t value) {
    if (is_v4()) throw std::invalid_argument("PacketBuilder: packet_too_big is IPv6; use frag_needed");
    set_icmp(2, 0);
    return mtu(value);
}
PacketBuilder& PacketBuilder::time_exceeded(std::uint8_t code) {
    set_icmp(is_v4() ? 11 : 3, code);
    return *this;
}
PacketBuilder& PacketBuilder::port_unreachable() {
    set_icmp(is_v4() ? 3 : 1, is_v4() ? 3 : 4);
    return *this;
}
PacketBuilder& PacketBuilder::rest_of_header(std::uint32_t value) {
    Packet word(4, 0);
    put32(word, 0, value);
    std::copy(word.begin(), word.end(), rest_.begin());
    return *this;
}
PacketBuilder& PacketBuilder::echo_fields(std::uint16_t id, std::uint16_t sequence) {
    return rest_of_header((std::uint32_t{id} << 16U) | sequence);
}
PacketBuilder& PacketBuilder::mtu(std::uint32_t value) {
    if (is_v4()) {
        if (value > 0xFFFFU) throw std::invalid_argument("PacketBuilder: v4 MTU is 16 bits");
        rest_[2] = static_cast<std::uint8_t>(value >> 8U);
        rest_[3] = static_cast<std::uint8_t>(value & 0xFFU);
        return *this;
    }
    return rest_of_header(value);
}
PacketBuilder& PacketBuilder::pointer(std::uint32_t value) {
    if (is_v4()) {
        rest_[0] = static_cast<std::uint8_t>(value);
        return *this;
    }
    return rest_of_header(value);
}
PacketBuilder& PacketBuilder::gateway(std::string_view address) {
    const Packet a = address_bytes(address);
    if (a.size() != 4) throw std::invalid_argument("PacketBuilder: gateway is an IPv4 address");
    std::copy(a.begin(), a.end(), rest_.begin());
    return *this;
}
PacketBuilder& PacketBuilder::rfc4884_length(std::uint8_t words) {
    rest_[is_v4() ? 1 : 0] = words;
    return *this;
}
PacketBuilder& PacketBuilder::payload(const Packet& bytes) {
    append(data_, bytes);
    return *this;
}
PacketBuilder& PacketBuilder::payload_zeros(std::size_t n) {
    data_.resize(data_.size() + n, 0);
    return *this;
}
PacketBuilder& PacketBuilder::pad_payload_to(std::size_t n) {
    if (data_.size() < n) data_.resize(n, 0);
    return *this;
}
PacketBuilder& PacketBuilder::quote(const PacketBuilder& inner, std::size_t max_bytes) {
    append(data_, cut(inner.build(), max_bytes));
    return *this;
}
PacketBuilder& PacketBuilder::quote_bytes(const Packet& bytes) {
    return payload(bytes);
}
PacketBuilder& PacketBuilder::checksum(std::uint16_t value) {
    icmp_checksum_ = value;
    return *this;
}
PacketBuilder& PacketBuilder::bad_checksum() {
    bad_checksum_ = true;
    return *this;
}

PacketBuilder& PacketBuilder::tcp(std::uint16_t src_port, std::uint16_t dst_port, std::uint32_t sequence) {
    upper_ = Upper::tcp;
    src_port_ = src_port;
    dst_port_ = dst_port;
    tcp_sequence_ = sequence;
    return *this;
}
PacketBuilder& PacketBuilder::udp(std::uint16_t src_port, std::uint16_t dst_port, std::size_t data_bytes) {
    upper_ = Upper::udp;
    src_port_ = src_port;
    dst_port_ = dst_port;
    udp_data_ = data_bytes;
    return *this;
}
PacketBuilder& PacketBuilder::transport(std::uint8_t protocol, std::uint16_t src_port, std::uint16_t dst_port) {
    Packet bytes(8, 0);
    put16(bytes, 0, src_port);
    put16(bytes, 2, dst_port);
    return raw_upper(protocol, bytes);
}
PacketBuilder& PacketBuilder::raw_upper(std::uint8_t protocol, const Packet& bytes) {
    upper_ = Upper::raw;
    raw_protocol_ = protocol;
    data_ = bytes;
    return *this;
}

std::uint8_t PacketBuilder::upper_protocol() const noexcept {
    switch (upper_) {
        case Upper::icmp:
            return is_v4() ? kProtoIcmp : kProtoIcmpv6;
        case Upper::tcp:
            return kProtoTcp;
        case Upper::udp:
            return kProtoUdp;
        case Upper::raw:
            return raw_protocol_;
        case Upper::none:
            break;
    }
    return 59;  // No Next Header
}

// Checksums come from the test support's own RFC 1071 code, never from the product's.
std::uint16_t PacketBuilder::transport_checksum(std::uint8_t protocol, const Packet& segment) const {
    Packet covered = pseudo_header(src_, dst_, protocol, segment.size());
    append(covered, segment);
    return reference_checksum(covered);
}

Packet PacketBuilder::build_upper() const {
    Packet out;
    switch (upper_) {
        case Upper::none:
            return out;
        case Upper::raw:
            return data_;
        case Upper::icmp: {
            out = {icmp_type_, icmp_code_, 0, 0};
            out.insert(out.end(), rest_.begin(), rest_.end());
            append(out, data_);
            std::uint16_t value = 0;
            if (icmp_checksum_) {
                value = *icmp_checksum_;
            } else if (is_v4()) {
                value = reference_checksum(out);  // RFC 792: the message alone
            } else {
                value = transport_checksum(kProtoIcmpv6, out);  // RFC 4443 2.3: with the pseudo-header
            }
            if (bad_checksum_) value = static_cast<std::uint16_t>(value + 1);
            put16(out, 2, value);
            return out;
        }
        case Upper::tcp: {
            out.assign(kTcpHeader, 0);
            put16(out, 0, src_port_);
            put16(out, 2, dst_port_);
            put32(out, 4, tcp_sequence_);
            out[12] = 0x50;          // data offset 5 words
            out[13] = 0x10;          // ACK
            put16(out, 14, 0xFFFF);  // window
            put16(out, 16, transport_checksum(kProtoTcp, out));
            return out;
        }
        case Upper::udp: {
            out.assign(kUdpHeader + udp_data_, 0);
            put16(out, 0, src_port_);
            put16(out, 2, dst_port_);
            put16(out, 4, to_u16(out.size()));
            std::uint16_t value = transport_checksum(kProtoUdp, out);
            put16(out, 6, value == 0 ? 0xFFFF : value);  // RFC 768: zero is sent as all ones
            return out;
        }
    }
    return out;
}

Packet PacketBuilder::build() const {
    const Packet upper = build_upper();
    const std::uint8_t protocol = protocol_.value_or(upper_protocol());
    Packet out;
    if (is_v4()) {
        out.assign(kIpv4Header, 0);
        append(out, ipv4_options_);
        const std::size_t header_length = out.size();
        out[0] = static_cast<std::uint8_t>(0x40U | ihl_.value_or(static_cast<std::uint8_t>(header_length / 4)));
        put16(out, 2, total_length_ ? *total_length_ : to_u16(header_length + upper.size()));
        put16(out, 4, identification_);
        put16(out, 6,
              static_cast<std::uint16_t>((df_ ? 0x4000U : 0U) | (mf_ ? 0x2000U : 0U) | (fragment_offset_ & 0x1FFFU)));
        out[8] = ttl_;
        out[9] = protocol;
        std::copy_n(src_.bytes.begin(), 4, out.begin() + 12);
        std::copy_n(dst_.bytes.begin(), 4, out.begin() + 16);
        std::uint16_t value = reference_checksum(out);
        if (bad_ip_checksum_) value = static_cast<std::uint16_t>(value + 1);
        put16(out, 10, value);
    } else {
        out.assign(kIpv6Header, 0);
        out[0] = 0x60;
        Packet chain;
        for (std::size_t i = 0; i < extensions_.size(); ++i) {
            Packet bytes = extensions_[i].bytes;
            bytes[0] = i + 1 < extensions_.size() ? extensions_[i + 1].type : protocol;
            append(chain, bytes);
        }
        if (jumbo_) {
            const std::size_t real = chain.size() + upper.size();
            if (real > 0xFFFF'FFFFU) throw std::invalid_argument("PacketBuilder: jumbogram over 2^32 - 1");
            std::size_t at = 0;  // where the Hop-by-Hop header holding the option starts
            for (std::size_t i = 0; i < jumbo_extension_; ++i) at += extensions_[i].bytes.size();
            put32(chain, at + 4, jumbo_length_.value_or(static_cast<std::uint32_t>(real)));
            put16(out, 4, payload_length_.value_or(0));
        } else {
            put16(out, 4, payload_length_ ? *payload_length_ : to_u16(chain.size() + upper.size()));
        }
        out[6] = extensions_.empty() ? protocol : extensions_.front().type;
        out[7] = ttl_;
        std::copy_n(src_.bytes.begin(), 16, out.begin() + 8);
        std::copy_n(dst_.bytes.begin(), 16, out.begin() + 24);
        append(out, chain);
    }
    append(out, upper);
    out.resize(out.size() + trailing_bytes_, 0);
    return out;
}

}  // namespace icmpgate::test

namespace icmpgate::decode {

std::ostream& operator<<(std::ostream& out, Family family) {
    return out << (family == Family::ipv4 ? "ipv4" : "ipv6");
}

std::ostream& operator<<(std::ostream& out, ChecksumState state) {
    switch (state) {
        case ChecksumState::not_judged:
            return out << "not_judged";
        case ChecksumState::valid:
            return out << "valid";
        case ChecksumState::invalid:
            return out << "invalid";
    }
    return out << "?";
}

std::ostream& operator<<(std::ostream& out, Anomaly anomaly) {
    return out << anomaly_name(anomaly);
}

std::ostream& operator<<(std::ostream& out, const AnomalySet& set) {
    out << '{';
    const char* separator = "";
    for (const AnomalyInfo& info : kAnomalies) {
        if (!set.test(info.anomaly)) continue;
        out << separator << info.name;
        separator = ", ";
    }
    return out << '}';
}

std::ostream& operator<<(std::ostream& out, const IpAddress& address) {
    return out << to_string(address);
}

std::ostream& operator<<(std::ostream& out, const Echo& echo) {
    return out << "echo{id=" << echo.id << ", seq=" << echo.sequence << '}';
}

}  // namespace icmpgate::decode
