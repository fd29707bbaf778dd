#include "filter/replay/frame_input.h"

#include "filter/replay/link_layer.h"

namespace icmpgate::replay {

pipeline::PacketInput frame_input(int link_type, const Frame& frame) noexcept {
    pipeline::PacketInput input;
    const L3View view = strip_link_layer(link_type, frame.data);
    input.carries_ip = view.payload == LinkPayload::ip;
    input.l3 = view.l3;
    input.decode.checksum_verifiable = true;
    // A snaplen cut is not truncation: tell the decoder how long the packet was.
    if (frame.captured_length < frame.wire_length && frame.wire_length > view.link_header_length)
        input.decode.wire_length = frame.wire_length - static_cast<std::uint32_t>(view.link_header_length);
    input.meta.now_ns = frame.time_ns;
    return input;
}

}  // namespace icmpgate::replay
