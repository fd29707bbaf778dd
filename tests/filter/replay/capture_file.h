#pragma once
// Writes a small pcap file into a temporary directory for replay tests, and removes it.
// Test-only: header-only, may throw.

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace icmpgate::test {

struct CapturedFrame {
    std::int64_t time_ns{0};
    std::vector<std::uint8_t> bytes;
    std::uint32_t wire_length{0};
};

class CaptureFile {
public:
    enum class Precision { micro, nano };

    CaptureFile(int link_type, const std::vector<CapturedFrame>& frames, Precision precision) {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("icmpgate-replay-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pcap");
        std::ofstream out{path_, std::ios::binary};
        // pcap file header (little endian): magic, version 2.4, thiszone, sigfigs, snaplen, linktype.
        put32(out, precision == Precision::nano ? 0xA1B23C4DU : 0xA1B2C3D4U);
        put16(out, 2);
        put16(out, 4);
        put32(out, 0);
        put32(out, 0);
        put32(out, 65535);
        put32(out, static_cast<std::uint32_t>(link_type));
        for (const CapturedFrame& f : frames) {
            constexpr std::int64_t kNsPerSecond = 1'000'000'000;
            const std::int64_t fraction = f.time_ns % kNsPerSecond;
            put32(out, static_cast<std::uint32_t>(f.time_ns / kNsPerSecond));
            put32(out, static_cast<std::uint32_t>(precision == Precision::nano ? fraction : fraction / 1000));
            put32(out, static_cast<std::uint32_t>(f.bytes.size()));
            put32(out, f.wire_length);
            out.write(reinterpret_cast<const char*>(f.bytes.data()), static_cast<std::streamsize>(f.bytes.size()));
        }
    }
    ~CaptureFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    CaptureFile(const CaptureFile&) = delete;
    CaptureFile& operator=(const CaptureFile&) = delete;

    [[nodiscard]] std::string path() const { return path_.string(); }

private:
    static void put16(std::ofstream& out, std::uint16_t v) {
        const char bytes[2] = {static_cast<char>(v & 0xFFU), static_cast<char>(v >> 8U)};
        out.write(bytes, 2);
    }
    static void put32(std::ofstream& out, std::uint32_t v) {
        put16(out, static_cast<std::uint16_t>(v & 0xFFFFU));
        put16(out, static_cast<std::uint16_t>(v >> 16U));
    }
    std::filesystem::path path_;
};

}  // namespace icmpgate::test
