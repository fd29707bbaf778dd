#pragma once
// What a source hands the pipeline for one packet: its bytes, what the source knows about it
// that is not in the bytes (interfaces, the limiter clock, whether the checksum can be judged,
// the length on the wire) and where it came from, for the record. A view: the bytes belong to
// the source (a receive buffer, a capture frame) until process() returns.

#include <optional>

#include "filter/decode/byte_reader.h"
#include "filter/decode/packet_meta.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::pipeline {

// Where the packet came from; each context ends up in the verdict record (docs/log-format.md).
struct PacketOrigin {
    std::optional<log::QueueContext> queue;     // NFQUEUE: queue number and packet id
    std::optional<log::ReplayContext> capture;  // a capture file: frame number and file name
};

struct PacketInput {
    decode::Bytes l3;       // the IPv4 or IPv6 packet
    bool carries_ip{true};  // false: a frame whose link layer carries no IP (ARP, LLDP)
    decode::DecodeOptions decode;
    decode::PacketMeta meta;  // interfaces; now_ns is the limiter clock (monotonic or capture time)
    PacketOrigin origin;
};

}  // namespace icmpgate::pipeline
