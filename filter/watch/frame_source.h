#pragma once
// Where a watch gets its frames: a live interface (live_capture.h) in `icmpgate watch`, a list
// of frames in tests. A source hands over what it has within its poll interval, so the loop
// reading it can look at its stop flag between reads.

#include <cstddef>
#include <string>

#include "filter/replay/pcap_source.h"

namespace icmpgate::watch {

class FrameHandler {
public:
    virtual ~FrameHandler() = default;
    FrameHandler(const FrameHandler&) = delete;
    FrameHandler& operator=(const FrameHandler&) = delete;
    // One frame; its bytes are valid during the call only.
    virtual void frame(const replay::Frame& frame) noexcept = 0;

protected:
    FrameHandler() = default;
};

class FrameSource {
public:
    virtual ~FrameSource() = default;
    FrameSource(const FrameSource&) = delete;
    FrameSource& operator=(const FrameSource&) = delete;

    // The frames' link type (libpcap's DLT_ value).
    [[nodiscard]] virtual int link_type() const noexcept = 0;
    // Waits at most the poll interval for frames and hands at most `max` of them to `handler`.
    // Returns how many (0: none came), or -1 when the source failed (error_message() says why).
    [[nodiscard]] virtual int read(std::size_t max, FrameHandler& handler) noexcept = 0;
    [[nodiscard]] virtual std::string error_message() const = 0;

protected:
    FrameSource() = default;
};

}  // namespace icmpgate::watch
