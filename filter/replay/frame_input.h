#pragma once
// One captured frame as the packet pipeline's input: the IP packet after the link layer
// (link_layer.h), the frame's capture time as the limiter clock, and the snaplen's cut told to the
// decoder (a cut packet is not truncated, but its checksum cannot be judged). The capture sources
// share it: replay (capture files) and watch (a live interface); each sets the origin and the
// interfaces it knows.

#include "filter/pipeline/packet_input.h"
#include "filter/replay/pcap_source.h"

namespace icmpgate::replay {

[[nodiscard]] pipeline::PacketInput frame_input(int link_type, const Frame& frame) noexcept;

}  // namespace icmpgate::replay
