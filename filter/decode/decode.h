#pragma once
// decode_packet(): the single entry point of the decoder. Pure: no I/O, no clock, no
// allocation, no exceptions. Input is an L3 packet (IPv4 or IPv6 header first).

#include "filter/decode/byte_reader.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/packet_meta.h"

namespace icmpgate::decode {

[[nodiscard]] DecodedPacket decode_packet(Bytes l3, const DecodeOptions& options) noexcept;

}  // namespace icmpgate::decode
