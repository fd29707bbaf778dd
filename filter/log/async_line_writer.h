#pragma once
// The verdict log's writer: packet threads hand finished lines to a bounded in-memory
// queue and never wait for the disk; one writer thread appends them to the file (or
// stdout). When the queue is full, or the file cannot be written (disk full, file gone),
// lines are dropped and counted, and once writing works again a "log_gap" record says how
// many were lost and why, so a gap in an audited log is visible in the log itself.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace icmpgate::log {

struct LogWriterStats {
    std::uint64_t written{0};             // lines that reached the file
    std::uint64_t dropped_queue_full{0};  // lines refused because the queue was full
    std::uint64_t dropped_too_long{0};    // lines longer than a slot (cannot happen with our records)
    std::uint64_t dropped_write_error{0}; // lines lost because write() failed
    std::uint64_t write_errors{0};        // failed write() calls
    std::uint64_t reopens{0};
};

class AsyncLineWriter {
public:
    static constexpr std::size_t kMinSlotSize = 256;  // a log_gap record always fits
    static constexpr std::size_t kMinSlots = 2;       // a gap record and the line after it
    struct Options {
        std::string path{"-"};        // "-" writes to stdout (journald under systemd)
        std::size_t slots{16384};     // lines the queue holds
        std::size_t slot_size{2048};  // bytes per line, newline included (at least kMinSlotSize)
    };

    // Opens the file (append, create 0640) and starts the writer thread; throws
    // std::system_error when the file cannot be opened.
    explicit AsyncLineWriter(Options options);
    AsyncLineWriter(const AsyncLineWriter&) = delete;
    AsyncLineWriter& operator=(const AsyncLineWriter&) = delete;
    ~AsyncLineWriter();  // flushes what is queued, then stops

    // Copies one line (without its newline) into the queue. Never blocks on I/O and never
    // allocates; returns false when the line was dropped (and counted).
    bool submit(std::string_view line) noexcept;

    // Reopens the file at its path before the next write (logrotate: rename, then signal).
    // Safe to call from any thread; not from a signal handler (use a flag there).
    void request_reopen() noexcept;

    // Writes everything queued so far and waits until it is written (tests, shutdown).
    void flush() noexcept;

    [[nodiscard]] LogWriterStats stats() const noexcept;

private:
    void run() noexcept;
    bool open_file() noexcept;
    bool write_all(const char* data, std::size_t size) noexcept;
    void write_gap_record() noexcept;

    Options options_;
    int fd_{-1};
    bool owns_fd_{false};

    mutable std::mutex mutex_;
    std::condition_variable wake_writer_;
    std::condition_variable drained_;
    std::vector<char> ring_;                 // slots * slot_size bytes
    std::vector<std::uint32_t> lengths_;     // bytes used in each slot
    std::size_t head_{0};                    // next slot to write out
    std::size_t count_{0};                   // slots holding a line
    bool stopping_{false};
    bool reopen_requested_{false};
    bool writer_busy_{false};

    // Counters: written by the writer thread or under mutex_, read by stats().
    LogWriterStats stats_;
    std::uint64_t gap_queue_full_{0};        // drops not yet reported in a gap record
    std::uint64_t gap_write_error_{0};

    std::thread writer_;
};

}  // namespace icmpgate::log
