#pragma once
// The three pcapng blocks the evidence captures are made of (draft-ietf-opsawg-pcapng, "PCAP
// Next Generation (pcapng) Capture File Format"): a Section Header Block at the start of each
// file, an Interface Description Block per interface, and an Enhanced Packet Block per packet
// with its comment (opt_comment). Written little-endian whatever the host (the Section Header's
// byte-order magic tells readers), into a caller's buffer: pure, no allocation, every write
// bounds-checked. Each writer returns the bytes written, or 0 when the block does not fit `out`
// (then nothing in `out` is meaningful); each *_size() gives a block's size without writing it.
//
// Every interface gets the same link type, snaplen and time resolution: libpcap (1.10) refuses a
// pcapng file whose interfaces differ in link type or snaplen, and `icmpgate replay` reads the
// captures through libpcap.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "filter/decode/byte_reader.h"

namespace icmpgate::capture {

// LINKTYPE_RAW (tcpdump.org link-layer header types): the packet starts with its IPv4 or IPv6
// header, the version nibble telling which. What NFQUEUE hands over (a layer-3 packet with no
// link header); one link type for both families, so one interface serves both (LINKTYPE_IPV4
// and LINKTYPE_IPV6 would need an interface per family, with link types libpcap refuses to mix).
inline constexpr std::uint16_t kLinktypeRaw = 101;
// if_snaplen of every interface: the largest packet NFQUEUE copies (--copy-range) or a watch
// captures (--snaplen).
inline constexpr std::uint32_t kSnapLength = 65535;
// if_tsresol: 9 = 10^-9 s, so timestamps are nanoseconds since the epoch.
inline constexpr std::uint8_t kTimestampResolutionNs = 9;
// An option's value is at most 65535 bytes (its length field is 16 bits); longer text is cut.
inline constexpr std::size_t kOptionValueMax = 0xFFFF;

struct SectionHeader {
    std::string_view application;  // shb_userappl: "icmpgate 0.1.0"
};

struct InterfaceDescription {
    std::string_view name;         // if_name ("" = no option)
    std::string_view description;  // if_description ("" = no option)
};

struct EnhancedPacket {
    std::uint32_t interface_id{0};     // the interface's index in the section (0 = the first IDB)
    std::int64_t time_ns{0};           // ns since the epoch; negative times are written as 0
    decode::Bytes data;                // the captured bytes
    std::uint32_t original_length{0};  // the packet's length on the wire (>= data.size(); 0 = data.size())
    std::string_view comment;          // opt_comment ("" = no option)
};

[[nodiscard]] std::size_t section_header_size(const SectionHeader& block) noexcept;
[[nodiscard]] std::size_t interface_description_size(const InterfaceDescription& block) noexcept;
[[nodiscard]] std::size_t enhanced_packet_size(const EnhancedPacket& block) noexcept;

[[nodiscard]] std::size_t write_section_header(std::span<std::uint8_t> out, const SectionHeader& block) noexcept;
[[nodiscard]] std::size_t write_interface_description(std::span<std::uint8_t> out,
                                                      const InterfaceDescription& block) noexcept;
[[nodiscard]] std::size_t write_enhanced_packet(std::span<std::uint8_t> out, const EnhancedPacket& block) noexcept;

}  // namespace icmpgate::capture
