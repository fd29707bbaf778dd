#pragma once
// Multi-part ICMP (RFC 4884): the extension structure an error message may carry after its
// "original datagram" field. Where it starts, whether it is well formed (RFC 4884 7, 8), and
// what icmpgate understands of its objects: the MPLS label stack (RFC 4950) and interface
// information (RFC 5837). Only error messages with extensions pay for more than a compare.

#include <cstddef>
#include <optional>

#include "filter/decode/byte_reader.h"
#include "filter/decode/decoded_packet.h"

namespace icmpgate::decode {

// RFC 4884 7 / 8: the extension header and every object header are one 32-bit word.
inline constexpr std::size_t kExtensionHeaderLength = 4;
inline constexpr std::size_t kExtensionObjectHeaderLength = 4;
inline constexpr unsigned kExtensionVersion = 2;
// RFC 4884 5: without a length attribute, an extension is looked for 128 octets in.
inline constexpr std::size_t kUnannouncedExtensionOffset = 128;

struct ExtensionSplit {
    Bytes original_datagram;  // the quote: every byte after the ICMP header unless an extension follows it
    bool malformed{false};    // an extension structure is there and breaks RFC 4884, 4950 or 5837
};

// Whether an error message can hold an extension structure at all: it has a length attribute,
// or it is an ICMPv4 error long enough to hold one 128 octets in (RFC 4884 5). The common
// error (a short quote, no length attribute) pays this compare and nothing more.
[[nodiscard]] constexpr bool may_carry_extensions(const DecodedPacket& packet, std::size_t after_header) noexcept {
    return packet.rfc4884_length.has_value() ||
           (packet.family == Family::ipv4 &&
            after_header >= kUnannouncedExtensionOffset + kExtensionHeaderLength + kExtensionObjectHeaderLength);
}

// Splits an error message's bytes after its 8-byte header (bounded by the declared message
// end) into the original datagram field and the extension structure, which is validated and
// decoded into `out` (engaged only when valid). `complete` says every declared byte is there:
// a structure is only judged then, since its checksum covers it to the end. The message's
// family, type and RFC 4884 length attribute come from `packet`.
[[nodiscard]] ExtensionSplit split_icmp_extensions(const DecodedPacket& packet, Bytes after_header, bool complete,
                                                   std::optional<IcmpExtensions>& out) noexcept;

// Validates and decodes an extension structure (header and objects) on its own; false when it
// breaks RFC 4884 7 (version 2, checksum), RFC 4884 8 (object lengths) or its objects' RFCs.
[[nodiscard]] bool decode_extension_structure(Bytes structure, IcmpExtensions& out) noexcept;

}  // namespace icmpgate::decode
