#pragma once
// ICMP extension structures built byte by byte for tests: the RFC 4884 structure and its
// objects, RFC 4950 MPLS label stacks and RFC 5837 interface information, carried by an ICMP
// error after its 128-byte original datagram field. Test-only code: cold path, may allocate.
//
//   // A Time Exceeded whose structure holds a two-entry label stack, checksum computed (every
//   // name here is in icmpgate::test):
//   const Packet bytes =
//       time_exceeded_with(structure(mpls({label(16, 0, false, 1), label(100704, 5, true, 254)}))).build();

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "tests/support/packet_builder.h"
#include "tests/support/reference_checksum.h"

namespace icmpgate::test {

// The parts, one after another.
[[nodiscard]] inline Packet concat(std::initializer_list<Packet> parts) {
    Packet out;
    for (const Packet& part : parts) out.insert(out.end(), part.begin(), part.end());
    return out;
}

// A 32-bit field in network byte order.
[[nodiscard]] inline Packet word(std::uint32_t value) {
    return {static_cast<std::uint8_t>(value >> 24U), static_cast<std::uint8_t>(value >> 16U),
            static_cast<std::uint8_t>(value >> 8U), static_cast<std::uint8_t>(value)};
}

// RFC 4884 8: an object's header (Length counting the header, Class-Num, C-Type), then its payload.
[[nodiscard]] inline Packet object(std::uint8_t class_num, std::uint8_t c_type, const Packet& payload) {
    const std::size_t length = 4 + payload.size();
    return concat(
        {{static_cast<std::uint8_t>(length >> 8U), static_cast<std::uint8_t>(length), class_num, c_type}, payload});
}

// The structure's Checksum field: computed, left zero (none sent), or computed and off by one.
enum class ExtensionChecksum : std::uint8_t { computed, none, wrong };

// RFC 4884 7: the structure's header (Version, 4 bits, 2 by default; Reserved; Checksum over the
// whole structure, by the test support's own RFC 1071 code), then the objects.
[[nodiscard]] inline Packet structure(const Packet& objects, ExtensionChecksum checksum = ExtensionChecksum::computed,
                                      std::uint8_t version = 2) {
    Packet out = concat({{static_cast<std::uint8_t>(version << 4U), 0, 0, 0}, objects});
    if (checksum == ExtensionChecksum::none) return out;
    std::uint16_t value = reference_checksum(out);
    if (checksum == ExtensionChecksum::wrong) value = static_cast<std::uint16_t>(value + 1);
    out[2] = static_cast<std::uint8_t>(value >> 8U);
    out[3] = static_cast<std::uint8_t>(value);
    return out;
}

// RFC 4950 2.1 / RFC 3032 2.1: a label stack entry: label (20 bits), traffic class (3), bottom
// of stack, TTL.
[[nodiscard]] inline Packet label(std::uint32_t value, std::uint8_t tc, bool bottom, std::uint8_t ttl) {
    return word((value << 12U) | (std::uint32_t{tc} << 9U) | (bottom ? 0x100U : 0U) | ttl);
}

// RFC 4950 2.1: the MPLS Label Stack object (Class-Num 1, C-Type 1) holding these entries.
[[nodiscard]] inline Packet mpls(std::initializer_list<Packet> labels) {
    return object(1, 1, concat(labels));
}

// RFC 5837 4.3: the Interface Name sub-object: a length octet (counting itself, a multiple of 4),
// the name, NUL padding.
[[nodiscard]] inline Packet name_sub_object(std::string_view name) {
    std::size_t length = 1 + name.size();
    while (length % 4 != 0) ++length;
    // Built as a string, then copied: GCC 12 at -O2 misjudges vector insert()/element writes
    // here as out-of-bounds or null accesses (-Warray-bounds, -Wnull-dereference).
    std::string bytes(1, static_cast<char>(length));
    bytes.append(name);
    bytes.resize(length, '\0');
    return Packet(bytes.begin(), bytes.end());
}

// RFC 4884 4.1: an ICMPv4 Time Exceeded from 203.0.113.1 about a UDP probe 198.51.100.7 ->
// 203.0.113.9 (TTL 1, ports 40000 -> 33434), its original datagram field zero-padded to 128 bytes,
// then `extension`; the length attribute says `length_words` (32-bit words; 0: no attribute,
// as routers older than RFC 4884 send, RFC 4884 5).
[[nodiscard]] inline PacketBuilder time_exceeded_with(const Packet& extension, std::uint8_t length_words = 32) {
    return PacketBuilder::ipv4("203.0.113.1", "198.51.100.7")
        .time_exceeded()
        .rfc4884_length(length_words)
        .quote(PacketBuilder::ipv4("198.51.100.7", "203.0.113.9").ttl(1).udp(40000, 33434))
        .pad_payload_to(128)
        .payload(extension);
}

}  // namespace icmpgate::test
