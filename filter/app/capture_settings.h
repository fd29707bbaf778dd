#pragma once
// The evidence capture options `icmpgate run` and `icmpgate watch` share (--capture DIR,
// --capture-verdicts, --capture-size, --capture-files, --capture-buffer), and the steps that
// turn them into a capture writer (filter/capture): made before the packet threads' pipelines
// (each thread gets a queue and a sink), started after the privilege drop, so the directory and
// its files belong to the user the daemon runs as.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "filter/capture/capture_sink.h"
#include "filter/capture/capture_writer.h"

namespace icmpgate::app {

struct CaptureSettings {
    std::string directory;  // "" = no captures
    capture::CaptureSelection selection{capture::CaptureSelection::drop};
    std::uint32_t file_mib{100};         // --capture-size: MiB per file
    std::uint32_t files{10};             // --capture-files: files kept
    std::size_t queue_bytes{4U << 20U};  // --capture-buffer: per packet thread
    [[nodiscard]] bool enabled() const noexcept { return !directory.empty(); }
};

// The writer for `settings` (not started), or null when captures are off. `interface`: the files'
// interface name (watch: the watched interface; the daemon: none, its packets come from many).
[[nodiscard]] std::unique_ptr<capture::CaptureWriter> make_capture_writer(const CaptureSettings& settings,
                                                                          const std::string& interface = "");

// Starts the writer (directory, lock, first file, thread) and says so on `err`; false (with the
// reason on `err`) when it cannot.
[[nodiscard]] bool start_capture(capture::CaptureWriter& writer, const CaptureSettings& settings, std::ostream& err);

// "drop" / "all": the --capture-verdicts word.
[[nodiscard]] const char* selection_name(capture::CaptureSelection selection) noexcept;

// The exit summary's capture line: "  capture: written N, dropped (queue full) N, ...".
void print_capture_summary(std::ostream& err, const capture::CaptureCounts& counts);

}  // namespace icmpgate::app
