#pragma once
// What the shell knows about a packet that is not in its bytes. Filled by the NFQUEUE
// loop or by replay; read by the decoder (checksum, lengths) and the matcher (interfaces).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace icmpgate::decode {

// Linux IFNAMSIZ is 16 including the NUL.
inline constexpr std::size_t kInterfaceNameMax = 15;

struct InterfaceName {
    std::array<char, kInterfaceNameMax + 1> text{};
    std::uint8_t length{0};

    [[nodiscard]] static constexpr InterfaceName from(std::string_view name) noexcept {
        InterfaceName n;
        n.length = static_cast<std::uint8_t>(std::min(name.size(), kInterfaceNameMax));
        for (std::size_t i = 0; i < n.length; ++i) n.text[i] = name[i];
        return n;
    }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {text.data(), length}; }
    [[nodiscard]] constexpr bool empty() const noexcept { return length == 0; }
};

struct DecodeOptions {
    // False when the kernel marks the packet checksum-not-ready (NFQA_SKB_CSUMNOTREADY):
    // the checksum is filled in later, so it must not be judged.
    bool checksum_verifiable{true};
    // Length of the packet on the wire when the capture (NFQUEUE copy range, pcap snaplen)
    // cut it; 0 means the bytes are the whole packet. A cut packet is not "truncated",
    // but its checksum cannot be judged.
    std::uint32_t wire_length{0};
};

struct PacketMeta {
    InterfaceName in_interface;  // empty when unknown (replay)
    InterfaceName out_interface;
    std::int64_t now_ns{0};  // monotonic clock (daemon) or capture time (replay)
};

}  // namespace icmpgate::decode
