#pragma once
// A live interface as a frame source: libpcap in live mode, with a kernel BPF filter that lets
// only ICMP and ICMPv6 through ("icmp or icmp6", and the same inside 802.1Q/802.1ad tags on
// Ethernet), a bounded ring (--pcap-buffer) and snaplen (--snaplen), and a poll interval so the
// reader can stop. Opening needs CAP_NET_RAW (a packet socket) and nothing after: the caller can
// drop every capability once it is open. RAII owner of the pcap_t; move-only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "filter/watch/frame_source.h"

struct pcap;  // libpcap's pcap_t

namespace icmpgate::watch {

struct LiveCaptureOptions {
    std::string interface;
    std::uint32_t snaplen{65535};           // bytes kept of each frame (the rest is cut, its length kept)
    std::uint32_t buffer_bytes{4U << 20U};  // the kernel ring libpcap maps (pcap_set_buffer_size)
    bool promiscuous{true};                 // a span port's frames are addressed to other hosts
    int poll_interval_ms{100};              // longest wait in read(); also libpcap's block timeout
};

// What libpcap counts (pcap_stats): frames the filter passed, frames the ring had no room for,
// frames the interface dropped (when the driver says).
struct LiveCaptureStats {
    std::uint64_t received{0};
    std::uint64_t dropped{0};
    std::uint64_t interface_dropped{0};
};

class LiveCapture final : public FrameSource {
public:
    // Opens and activates `options.interface` with the ICMP filter; on failure returns nullopt
    // and sets `error` (libpcap's words: no such device, permission denied, ...).
    [[nodiscard]] static std::unique_ptr<LiveCapture> open(const LiveCaptureOptions& options, std::string& error);

    [[nodiscard]] int link_type() const noexcept override;
    [[nodiscard]] int read(std::size_t max, FrameHandler& handler) noexcept override;
    [[nodiscard]] std::string error_message() const override;
    [[nodiscard]] LiveCaptureStats stats() const noexcept;
    // The filter it runs ("icmp or icmp6 or (vlan and (icmp or icmp6)) ...").
    [[nodiscard]] const std::string& filter() const noexcept { return filter_; }

    // The BPF filter for a link type: ICMP and ICMPv6, on Ethernet also under one or two VLAN tags.
    [[nodiscard]] static std::string filter_for(int link_type);

    ~LiveCapture() override;

private:
    LiveCapture(pcap* handle, std::string filter) noexcept : handle_{handle}, filter_{std::move(filter)} {}
    pcap* handle_;
    std::string filter_;
};

}  // namespace icmpgate::watch
