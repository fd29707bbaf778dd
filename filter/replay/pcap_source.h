#pragma once
// PcapSource: an open pcap or pcapng file (libpcap offline mode, nanosecond timestamps),
// yielding its frames in order. RAII owner of the pcap_t; move-only.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "filter/decode/byte_reader.h"

struct pcap;  // libpcap's pcap_t, kept out of this header

namespace icmpgate::replay {

struct Frame {
    decode::Bytes data;                // the captured bytes; valid until the next call to next()
    std::uint32_t captured_length{0};  // caplen
    std::uint32_t wire_length{0};      // len: the frame's length on the wire
    std::int64_t time_ns{0};           // capture time, ns since the epoch
};

enum class ReadStatus : std::uint8_t { frame, end, error };

struct ReadResult {
    ReadStatus status{ReadStatus::end};
    Frame frame;
};

class PcapSource {
public:
    // Opens `path`; on failure returns nullopt and sets `error` to libpcap's message.
    [[nodiscard]] static std::optional<PcapSource> open(const std::string& path, std::string& error);
    // Reads an already open stream (e.g. fmemopen() over a buffer, for fuzzing); on success
    // the PcapSource owns the stream and closes it, on failure the caller still does.
    [[nodiscard]] static std::optional<PcapSource> open_stream(std::FILE* stream, std::string& error);

    [[nodiscard]] int link_type() const noexcept;
    // The next frame, the end of the file, or an error (a damaged file); see error_message().
    [[nodiscard]] ReadResult next() noexcept;
    [[nodiscard]] std::string error_message() const;

private:
    struct Closer {
        void operator()(pcap* handle) const noexcept;
    };
    explicit PcapSource(pcap* handle) noexcept : handle_{handle} {}
    std::unique_ptr<pcap, Closer> handle_;
};

}  // namespace icmpgate::replay
