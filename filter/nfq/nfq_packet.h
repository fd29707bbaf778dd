#pragma once
// One packet as the kernel's queue delivered it: the netlink attributes icmpgate uses,
// validated and named. `captured_length` is what we hold (NFQA_PAYLOAD), `wire_length` the
// packet's real length (NFQA_CAP_LEN, present only when the copy range cut it): two
// lengths that are easy to swap, so they carry distinct names.

#include <cstdint>
#include <span>

namespace icmpgate::nfq {

struct NfqPacket {
    std::uint32_t packet_id{0};
    std::uint16_t hw_protocol{0};           // ethertype, host order (0x0800 IPv4, 0x86DD IPv6)
    std::span<const std::uint8_t> payload;  // the L3 packet (points into the receive buffer)
    std::uint32_t wire_length{0};           // 0 unless the copy range cut the packet
    std::uint32_t in_ifindex{0};            // 0 when absent
    std::uint32_t out_ifindex{0};
    bool checksum_not_ready{false};  // NFQA_SKB_CSUMNOTREADY: must not be validated
    bool gso{false};                 // NFQA_SKB_GSO
};

enum class ParseError : std::uint8_t {
    none,
    no_packet_header,  // NFQA_PACKET_HDR missing or short: no id, so no verdict possible
    no_payload,        // NFQA_PAYLOAD missing: verdict possible, nothing to decode
};

}  // namespace icmpgate::nfq
