#include "filter/app/capture_settings.h"

#include <ostream>
#include <system_error>

#include "icmpgate_version.h"

namespace icmpgate::app {

namespace {
constexpr std::uint64_t kBytesPerMib = 1U << 20U;
}

std::unique_ptr<capture::CaptureWriter> make_capture_writer(const CaptureSettings& settings,
                                                            const std::string& interface) {
    if (!settings.enabled()) return nullptr;
    capture::CaptureWriterOptions options;
    options.files.directory = settings.directory;
    options.files.max_file_bytes = std::uint64_t{settings.file_mib} * kBytesPerMib;
    options.files.max_files = settings.files;
    options.application = std::string{"icmpgate "} + ICMPGATE_VERSION;
    options.interface_name = interface;
    return std::make_unique<capture::CaptureWriter>(std::move(options));
}

bool start_capture(capture::CaptureWriter& writer, const CaptureSettings& settings, std::ostream& err) {
    try {
        writer.start();
    } catch (const std::system_error& e) {
        err << "icmpgate: --capture: " << e.what() << "\n";
        return false;
    }
    err << "icmpgate: capturing " << selection_name(settings.selection) << " verdicts to " << writer.current_file()
        << " (a ring of " << settings.files << " files of " << settings.file_mib << " MiB)\n";
    return true;
}

const char* selection_name(capture::CaptureSelection selection) noexcept {
    return selection == capture::CaptureSelection::all ? "all" : "drop";
}

void print_capture_summary(std::ostream& err, const capture::CaptureCounts& counts) {
    err << "  capture:";
    for (const capture::CaptureCounterInfo& row : capture::kCaptureCounters)
        err << (row.counter == capture::CaptureCounter{} ? " " : ", ") << row.summary_text << " "
            << counts[row.counter];
    err << "\n";
}

}  // namespace icmpgate::app
