#include "filter/watch/live_capture.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <limits>

#include "filter/replay/link_layer.h"

namespace icmpgate::watch {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr int kOptimize = 1;

struct DispatchContext {
    FrameHandler* handler;
};

void on_frame(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    auto* context = reinterpret_cast<DispatchContext*>(user);  // NOLINT: libpcap's callback cookie
    replay::Frame frame;
    frame.data = decode::Bytes{bytes, header->caplen};
    frame.captured_length = header->caplen;
    frame.wire_length = header->len;
    // Nanosecond precision was asked for at activation: tv_usec holds nanoseconds.
    frame.time_ns = static_cast<std::int64_t>(header->ts.tv_sec) * kNsPerSecond + header->ts.tv_usec;
    context->handler->frame(frame);
}

std::string failure(pcap* handle, const std::string& what) {
    std::string message = what + ": " + pcap_geterr(handle);
    pcap_close(handle);
    return message;
}

}  // namespace

std::string LiveCapture::filter_for(int link_type) {
    constexpr const char* kIcmp = "icmp or icmp6";
    if (link_type != DLT_EN10MB) return kIcmp;
    // "vlan" moves the offsets of what follows it (pcap-filter(7)), so the untagged test comes
    // first; one tag (802.1Q), then two (802.1ad outer + 802.1Q inner). On Linux a tag the driver
    // took out of the frame is seen through the kernel's metadata as well.
    return "icmp or icmp6 or (vlan and (icmp or icmp6 or (vlan and (icmp or icmp6))))";
}

std::unique_ptr<LiveCapture> LiveCapture::open(const LiveCaptureOptions& options, std::string& error) {
    std::array<char, PCAP_ERRBUF_SIZE> error_buffer{};
    pcap* handle = pcap_create(options.interface.c_str(), error_buffer.data());
    if (handle == nullptr) {
        error = error_buffer.data();
        return nullptr;
    }
    if (pcap_set_snaplen(handle, static_cast<int>(options.snaplen)) != 0 ||
        pcap_set_promisc(handle, options.promiscuous ? 1 : 0) != 0 ||
        pcap_set_timeout(handle, options.poll_interval_ms) != 0 ||
        pcap_set_buffer_size(handle, static_cast<int>(options.buffer_bytes)) != 0 ||
        pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_NANO) != 0) {
        error = failure(handle, "cannot configure " + options.interface);
        return nullptr;
    }
    const int activated = pcap_activate(handle);
    if (activated < 0) {
        // PCAP_ERROR_PERM_DENIED: no CAP_NET_RAW; PCAP_ERROR_NO_SUCH_DEVICE, ...
        const std::string detail = pcap_geterr(handle);
        error = options.interface + ": " + pcap_statustostr(activated) + (detail.empty() ? "" : " (" + detail + ")");
        pcap_close(handle);
        return nullptr;
    }
    const int link_type = pcap_datalink(handle);
    if (!replay::is_supported_link_type(link_type)) {
        const char* name = replay::link_type_name(link_type);
        error = options.interface + ": link type " + std::to_string(link_type) + " (" + name +
                ") is not one watch reads (Ethernet, Linux cooked, raw IP, loopback, PPP)";
        pcap_close(handle);
        return nullptr;
    }
    std::string filter = filter_for(link_type);
    bpf_program program{};
    if (pcap_compile(handle, &program, filter.c_str(), kOptimize, PCAP_NETMASK_UNKNOWN) != 0) {
        error = failure(handle, "cannot compile the filter '" + filter + "'");
        return nullptr;
    }
    const int set = pcap_setfilter(handle, &program);
    pcap_freecode(&program);
    if (set != 0) {
        error = failure(handle, "cannot set the filter on " + options.interface);
        return nullptr;
    }
    return std::unique_ptr<LiveCapture>{new LiveCapture{handle, std::move(filter)}};
}

LiveCapture::~LiveCapture() {
    pcap_close(handle_);
}

int LiveCapture::link_type() const noexcept {
    return pcap_datalink(handle_);
}

int LiveCapture::read(std::size_t max, FrameHandler& handler) noexcept {
    DispatchContext context{&handler};
    const int count = static_cast<int>(std::min<std::size_t>(max, std::numeric_limits<int>::max()));
    const int n = pcap_dispatch(handle_, count, on_frame, reinterpret_cast<u_char*>(&context));  // NOLINT: cookie
    if (n == PCAP_ERROR_BREAK) return 0;
    return n < 0 ? -1 : n;
}

std::string LiveCapture::error_message() const {
    return pcap_geterr(handle_);
}

LiveCaptureStats LiveCapture::stats() const noexcept {
    pcap_stat s{};
    if (pcap_stats(handle_, &s) != 0) return {};
    return {s.ps_recv, s.ps_drop, s.ps_ifdrop};
}

}  // namespace icmpgate::watch
