#pragma once
// The ring of capture files in one directory: at most `max_files` files of at most
// `max_file_bytes` each. Files are named icmpgate-<sequence>-<UTC start time>.pcapng
// (icmpgate-00000042-20261125T101500Z.pcapng), the sequence going on from the highest one found
// in the directory, so a restarted daemon continues the ring of the previous run and the bound
// holds across restarts; before a file is started, the oldest are removed until at most
// max_files - 1 remain. Other files in the directory are left alone. Files are created 0640.
//
// The directory is created (0750) when missing and locked (flock) while open, so two processes
// cannot rotate each other's files. Used by the writer thread only; cold path apart from write().

#include <cstdint>
#include <deque>
#include <span>
#include <string>

namespace icmpgate::capture {

struct CaptureFileOptions {
    std::string directory;
    std::uint64_t max_file_bytes{100ULL << 20U};
    std::uint32_t max_files{10};
};

class CaptureFiles {
public:
    explicit CaptureFiles(CaptureFileOptions options) noexcept : options_{std::move(options)} {}
    CaptureFiles(const CaptureFiles&) = delete;
    CaptureFiles& operator=(const CaptureFiles&) = delete;
    ~CaptureFiles();

    // Creates the directory when missing, locks it and lists the files an earlier run left.
    // Throws std::system_error (unwritable, locked by another process).
    void open_directory();

    // Closes the current file, removes the oldest past the bound and creates the next one,
    // named for `now_unix_ns`. False when it cannot be created (errno says why); `removed` counts
    // the files removed.
    [[nodiscard]] bool start_file(std::int64_t now_unix_ns, std::uint64_t& removed) noexcept;

    // Appends `bytes` to the current file, all or nothing: after a failed or short write the file
    // is cut back to where it was, so it never ends in half a block. False on failure (errno).
    [[nodiscard]] bool append(std::span<const std::uint8_t> bytes) noexcept;

    void close() noexcept;

    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
    // Bytes in the current file.
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    [[nodiscard]] const std::string& current_path() const noexcept { return current_; }
    [[nodiscard]] const CaptureFileOptions& options() const noexcept { return options_; }

    // The file name for a sequence number and time (tests, docs).
    [[nodiscard]] static std::string file_name(std::uint64_t sequence, std::int64_t unix_ns);
    // The sequence number of one of our file names, or 0 when the name is not one of ours.
    [[nodiscard]] static std::uint64_t sequence_of(const std::string& name) noexcept;

private:
    CaptureFileOptions options_;
    int directory_fd_{-1};
    int fd_{-1};
    std::uint64_t size_{0};
    std::uint64_t next_sequence_{1};
    std::string current_;
    std::deque<std::string> files_;  // ours in the directory, oldest first (the current one last)
};

}  // namespace icmpgate::capture
