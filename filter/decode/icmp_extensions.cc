#include "filter/decode/icmp_extensions.h"

#include "filter/decode/checksum.h"
#include "filter/decode/icmp.h"

namespace icmpgate::decode {

namespace {

constexpr unsigned kVersionShift = 4;
constexpr std::size_t kWord = 4;  // RFC 4884 8: an object is one or more 32-bit words

// RFC 4950 2.1: the MPLS Label Stack Object; each entry is one word (RFC 3032 2.1).
constexpr std::uint8_t kMplsLabelStackClass = 1;
constexpr std::uint8_t kMplsLabelStackCType = 1;
constexpr unsigned kLabelShift = 12;
constexpr unsigned kTrafficClassShift = 9;
constexpr std::uint32_t kTrafficClassMask = 0x7;
constexpr std::uint32_t kBottomOfStackBit = 0x100;
constexpr std::uint32_t kTtlMask = 0xFF;

// RFC 5837 4.1: the Interface Information Object. Its C-Type is a role (2 bits), 2 reserved
// bits and one bit per part present; the parts follow in this order.
constexpr std::uint8_t kInterfaceInformationClass = 2;
constexpr unsigned kRoleShift = 6;
constexpr std::uint8_t kIfIndexBit = 0x08;
constexpr std::uint8_t kIpAddressBit = 0x04;
constexpr std::uint8_t kNameBit = 0x02;
constexpr std::uint8_t kMtuBit = 0x01;
// RFC 5837 4.2: IP Address Sub-Object: AFI (1 IPv4, 2 IPv6, IANA Address Family Numbers),
// 2 reserved octets, the address.
constexpr std::size_t kAfiAndReservedLength = 4;
constexpr std::uint16_t kAfiIpv4 = 1;
constexpr std::uint16_t kAfiIpv6 = 2;
constexpr std::size_t kIpv4AddressLength = 4;
constexpr std::size_t kIpv6AddressLength = 16;
// RFC 5837 4.3: Interface Name Sub-Object: a length octet counting itself, a multiple of 4
// and at most 64; then the name, NUL-padded.
constexpr std::size_t kNameSubObjectMax = kExtensionInterfaceNameMax + 1;

MplsLabelEntry read_label_entry(FixedBytes<kWord> word) noexcept {
    const std::uint32_t value = be32<0>(word);
    MplsLabelEntry entry;
    entry.label = value >> kLabelShift;
    entry.traffic_class = static_cast<std::uint8_t>((value >> kTrafficClassShift) & kTrafficClassMask);
    entry.bottom_of_stack = (value & kBottomOfStackBit) != 0;
    entry.ttl = static_cast<std::uint8_t>(value & kTtlMask);
    return entry;
}

// RFC 4950 2.1: one or more label stack entries. Only the first such object is kept.
bool decode_mpls_label_stack(Bytes payload, IcmpExtensions& ext) noexcept {
    if (payload.empty()) return false;
    const bool first = ext.mpls_label_total == 0;
    ByteReader reader{payload};
    while (const auto word = reader.take_fixed<kWord>()) {
        if (!first) continue;
        if (ext.mpls_label_count < kMaxMplsLabels) ext.mpls_labels[ext.mpls_label_count++] = read_label_entry(*word);
        ++ext.mpls_label_total;
    }
    return reader.remaining() == 0;  // the object length is a multiple of 4: always true
}

bool read_address_sub_object(ByteReader& reader, InterfaceInformation& info) noexcept {
    const auto lead = reader.take_fixed<kAfiAndReservedLength>();
    if (!lead) return false;
    const std::uint16_t afi = be16<0>(*lead);
    if (afi == kAfiIpv4) {
        const auto address = reader.take_fixed<kIpv4AddressLength>();
        if (!address) return false;
        info.address.emplace().assign_v4(*address);
        return true;
    }
    if (afi == kAfiIpv6) {
        const auto address = reader.take_fixed<kIpv6AddressLength>();
        if (!address) return false;
        info.address.emplace().assign_v6(*address);
        return true;
    }
    return false;  // an address family RFC 5837 does not define
}

bool read_name_sub_object(ByteReader& reader, InterfaceInformation& info) noexcept {
    const auto length_octet = reader.take_fixed<1>();
    if (!length_octet) return false;
    const std::size_t length = be8<0>(*length_octet);
    if (length == 0 || length % kWord != 0 || length > kNameSubObjectMax) return false;
    const std::optional<Bytes> name = reader.take(length - 1);
    if (!name) return false;
    info.has_name = true;
    for (const std::uint8_t byte : *name) {
        if (byte == 0) break;  // NUL padding to the word boundary
        info.name[info.name_length++] = static_cast<char>(byte);
    }
    return true;
}

// RFC 5837 4: the parts the C-Type announces, in order, filling the object exactly.
bool decode_interface_information(std::uint8_t c_type, Bytes payload, IcmpExtensions& ext) noexcept {
    InterfaceInformation info;
    info.role = static_cast<InterfaceRole>(c_type >> kRoleShift);
    ByteReader reader{payload};
    if ((c_type & kIfIndexBit) != 0) {
        const auto index = reader.take_fixed<kWord>();
        if (!index) return false;
        info.if_index = be32<0>(*index);
    }
    if ((c_type & kIpAddressBit) != 0 && !read_address_sub_object(reader, info)) return false;
    if ((c_type & kNameBit) != 0 && !read_name_sub_object(reader, info)) return false;
    if ((c_type & kMtuBit) != 0) {
        const auto mtu = reader.take_fixed<kWord>();
        if (!mtu) return false;
        info.mtu = be32<0>(*mtu);
    }
    if (reader.remaining() != 0) return false;
    if (ext.interface_count < kMaxInterfaceObjects) ext.interfaces[ext.interface_count++] = info;
    ++ext.interface_total;
    return true;
}

// RFC 4884 7 (one or more objects) and 8 (each a length >= 4 of whole words, inside the structure).
bool decode_objects(ByteReader reader, IcmpExtensions& ext) noexcept {
    if (reader.remaining() == 0) return false;
    while (reader.remaining() != 0) {
        const auto head = reader.peek_fixed<kExtensionObjectHeaderLength>();
        if (!head) return false;
        const std::size_t length = be16<0>(*head);
        if (length < kExtensionObjectHeaderLength || length % kWord != 0) return false;
        const std::optional<Bytes> object = reader.take(length);
        if (!object) return false;
        ++ext.object_count;
        ByteReader payload{*object};
        if (!payload.skip(kExtensionObjectHeaderLength)) return false;
        const std::uint8_t class_num = be8<2>(*head);
        const std::uint8_t c_type = be8<3>(*head);
        if (class_num == kMplsLabelStackClass && c_type == kMplsLabelStackCType) {
            if (!decode_mpls_label_stack(payload.rest(), ext)) return false;
        } else if (class_num == kInterfaceInformationClass) {
            if (!decode_interface_information(c_type, payload.rest(), ext)) return false;
        }
        // Other classes (RFC 8335 interface identification, future ones) are counted, not read.
    }
    return true;
}

// RFC 4884 5: a receiver may look for an extension 128 octets into a long enough ICMPv4 error
// that has no length attribute; it is one when the header there has version 2 and a checksum
// that verifies. A zero checksum proves nothing there, so it is not taken for one.
bool looks_like_unannounced_extension(Bytes structure) noexcept {
    const auto head = ByteReader{structure}.peek_fixed<kExtensionHeaderLength + kExtensionObjectHeaderLength>();
    if (!head || (be8<0>(*head) >> kVersionShift) != kExtensionVersion || be16<2>(*head) == 0) return false;
    InternetChecksum sum;
    sum.add(structure);
    return sum.verifies();
}

}  // namespace

bool decode_extension_structure(Bytes structure, IcmpExtensions& out) noexcept {
    ByteReader reader{structure};
    const auto header = reader.take_fixed<kExtensionHeaderLength>();
    if (!header || (be8<0>(*header) >> kVersionShift) != kExtensionVersion) return false;
    // RFC 4884 7: the checksum covers the whole structure; zero means none was sent.
    if (be16<2>(*header) == 0) {
        out.checksum = ChecksumState::not_judged;
    } else {
        InternetChecksum sum;
        sum.add(structure);
        if (!sum.verifies()) return false;
        out.checksum = ChecksumState::valid;
    }
    return decode_objects(reader, out);
}

ExtensionSplit split_icmp_extensions(const DecodedPacket& packet, Bytes after_header, bool complete,
                                     std::optional<IcmpExtensions>& out) noexcept {
    ExtensionSplit split;
    split.original_datagram = after_header;
    std::size_t offset = 0;
    if (packet.rfc4884_length) {
        // Only a valid length attribute delimits the field (a bad one is bad-extension: plausibility.cc).
        const std::size_t length = *packet.rfc4884_length;
        if (length < kRfc4884MinOriginalDatagram || length > after_header.size()) return split;
        offset = length;
    } else if (packet.family == Family::ipv4 && defines_rfc4884_length(packet.family, packet.icmp_type) && complete &&
               after_header.size() >=
                   kUnannouncedExtensionOffset + kExtensionHeaderLength + kExtensionObjectHeaderLength) {
        ByteReader rest{after_header};
        if (!rest.skip(kUnannouncedExtensionOffset) || !looks_like_unannounced_extension(rest.rest())) return split;
        offset = kUnannouncedExtensionOffset;
    } else {
        return split;
    }

    ByteReader reader{after_header};
    const std::optional<Bytes> original = reader.take(offset);
    if (!original) return split;  // offset <= size, checked above
    split.original_datagram = *original;
    // A structure is judged only when all of it is here (its checksum runs to the end).
    if (reader.remaining() == 0 || !complete) return split;
    IcmpExtensions& extensions = out.emplace();
    extensions.from_length_attribute = packet.rfc4884_length.has_value();
    if (!decode_extension_structure(reader.rest(), extensions)) {
        out.reset();
        split.malformed = true;
    }
    return split;
}

}  // namespace icmpgate::decode
