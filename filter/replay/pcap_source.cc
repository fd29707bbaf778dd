#include "filter/replay/pcap_source.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <limits>

namespace icmpgate::replay {
namespace {
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
// Seconds whose nanoseconds (plus a sub-second part) still fit an int64 (about year 2262):
// a damaged or hostile capture may claim any time, which must not overflow.
constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / kNsPerSecond - 1;
// pcap_next_ex() results (pcap_next_ex(3PCAP)).
constexpr int kPcapFrameRead = 1;
constexpr int kPcapEndOfFile = -2;
}  // namespace

void PcapSource::Closer::operator()(pcap* handle) const noexcept {
    pcap_close(handle);
}

std::optional<PcapSource> PcapSource::open(const std::string& path, std::string& error) {
    std::array<char, PCAP_ERRBUF_SIZE> error_buffer{};
    // With nanosecond precision, tv_usec of every header carries nanoseconds, whatever
    // precision the file was written with (pcap_open_offline(3PCAP)).
    pcap* handle =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error_buffer.data());
    if (handle == nullptr) {
        error = error_buffer.data();
        return std::nullopt;
    }
    return PcapSource{handle};
}

std::optional<PcapSource> PcapSource::open_stream(std::FILE* stream, std::string& error) {
    std::array<char, PCAP_ERRBUF_SIZE> error_buffer{};
    pcap* handle = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, error_buffer.data());
    if (handle == nullptr) {
        error = error_buffer.data();
        return std::nullopt;
    }
    return PcapSource{handle};
}

int PcapSource::link_type() const noexcept {
    return pcap_datalink(handle_.get());
}

ReadResult PcapSource::next() noexcept {
    pcap_pkthdr* header = nullptr;
    const u_char* bytes = nullptr;
    const int status = pcap_next_ex(handle_.get(), &header, &bytes);
    if (status == kPcapEndOfFile) return {ReadStatus::end, {}};
    if (status != kPcapFrameRead || header == nullptr || bytes == nullptr) return {ReadStatus::error, {}};
    ReadResult result{ReadStatus::frame, {}};
    result.frame.data = decode::Bytes{bytes, header->caplen};
    result.frame.captured_length = header->caplen;
    result.frame.wire_length = header->len;
    const std::int64_t seconds = std::clamp<std::int64_t>(header->ts.tv_sec, -kMaxSeconds, kMaxSeconds);
    const std::int64_t fraction = std::clamp<std::int64_t>(header->ts.tv_usec, 0, kNsPerSecond - 1);
    result.frame.time_ns = seconds * kNsPerSecond + fraction;
    return result;
}

std::string PcapSource::error_message() const {
    return pcap_geterr(handle_.get());
}

}  // namespace icmpgate::replay
