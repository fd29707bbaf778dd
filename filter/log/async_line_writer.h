#pragma once
// The verdict log's writer: packet threads hand finished lines to a bounded in-memory
// buffer and never wait for the disk; one writer thread appends them to the file (or
// stdout). When the queue is full, or the file cannot be written (disk full, file gone),
// lines are dropped and counted, and once writing works again a log_gap event
// (icmpgate_event.h) says how many were lost and why, so a gap in an audited log is visible
// in the log itself.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace icmpgate::log {

struct LogWriterStats {
    std::uint64_t written{0};              // lines that reached the file (log_gap events included)
    std::uint64_t dropped_queue_full{0};   // lines refused because the buffer was full
    std::uint64_t dropped_too_long{0};     // lines longer than max_line
    std::uint64_t dropped_write_error{0};  // lines lost because write() failed
    std::uint64_t write_errors{0};         // failed write() calls
    std::uint64_t reopens{0};
};

class AsyncLineWriter {
public:
    struct Options {
        std::string path{"-"};                  // "-" writes to stdout (journald under systemd)
        std::size_t capacity_bytes{8U << 20U};  // the buffer between the packet threads and the writer
        std::size_t max_line{1U << 20U};        // longer lines are refused (at most capacity / 2)
        // How long the writer lets lines collect after the first one before writing them:
        // one wake-up and one writev() per period instead of one per packet batch, which
        // on a small gateway competes with the packet threads for the cores. 0: write at once.
        std::chrono::milliseconds linger{0};
    };
    // Smallest buffer: a log_gap event and a short line always fit.
    static constexpr std::size_t kMinCapacity = 4096;

    // Opens the file (append, create 0640) and starts the writer thread; throws
    // std::system_error when the file cannot be opened. The buffer is reserved, not
    // touched: memory is committed as lines pass through it.
    explicit AsyncLineWriter(Options options);
    AsyncLineWriter(const AsyncLineWriter&) = delete;
    AsyncLineWriter& operator=(const AsyncLineWriter&) = delete;
    ~AsyncLineWriter();  // flushes what is queued, then stops

    // Copies one line (without its newline) into the buffer. Never blocks on I/O and never
    // allocates; returns false when the line was dropped (and counted).
    bool submit(std::string_view line) noexcept;

    // submit() without waking the writer thread; wake() does that later. A packet thread
    // queues its batch's lines, sends the batch's verdicts, then calls wake(): a writer
    // woken mid-batch is favoured by the scheduler after its sleep and can preempt the
    // packet thread while the kernel still holds the batch's packets (seen live as added
    // ping latency through the queue, docs/performance.md).
    bool submit_without_wake(std::string_view line) noexcept;
    void wake() noexcept;

    // Reopens the file at its path before the next write (logrotate: rename, then signal).
    // Safe to call from any thread; not from a signal handler (use a flag there).
    void request_reopen() noexcept;

    // Writes everything queued so far and waits until it is written (tests, shutdown).
    void flush() noexcept;

    [[nodiscard]] LogWriterStats stats() const noexcept;

private:
    void run() noexcept;
    bool open_file() noexcept;
    // Writes all of it or stops at the first failure; adds the bytes that landed to *written.
    bool write_all(const char* data, std::size_t size, std::size_t* written = nullptr) noexcept;
    // A contiguous region for one record of `size` bytes (header + line), or null. Caller holds mutex_.
    char* reserve(std::size_t size) noexcept;
    bool put_record(std::string_view line) noexcept;
    // Counts and queues one line (a pending gap record first). Caller holds mutex_.
    bool enqueue(std::string_view line) noexcept;
    // Whether a producer must notify the writer now. Caller holds mutex_.
    [[nodiscard]] bool writer_needs_wake() const noexcept;

    Options options_;
    int fd_{-1};
    bool owns_fd_{false};

    mutable std::mutex mutex_;
    std::condition_variable wake_writer_;
    std::condition_variable drained_;
    // A byte ring of records: a 4-byte length, then the line with its newline. A record
    // never wraps: when it does not fit before the end, the end is skipped (marked when
    // at least 4 bytes remain) and the record starts at offset 0.
    std::unique_ptr<char[]> ring_;
    std::size_t head_{0};  // first byte not yet written out
    std::size_t used_{0};  // bytes in use from head_ (records and skipped ends)
    std::size_t queued_lines_{0};
    bool stopping_{false};
    bool reopen_requested_{false};
    bool writer_busy_{false};
    bool lingering_{false};  // lines are queued; the writer sleeps out the linger period
    std::size_t flush_waiters_{0};
    std::size_t eager_bytes_{0};  // this much queued ends a linger early

    // Counters: written by the writer thread or under mutex_, read by stats().
    LogWriterStats stats_;
    std::uint64_t gap_queue_full_{0};  // drops not yet reported in a gap record
    std::uint64_t gap_write_error_{0};

    std::thread writer_;
};

}  // namespace icmpgate::log
