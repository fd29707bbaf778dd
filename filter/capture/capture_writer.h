#pragma once
// The evidence captures' writer: one thread that takes packet records from the packet threads'
// queues (capture_queue.h, one per thread, lock-free) and writes them as pcapng blocks
// (pcapng_blocks.h) into a ring of files (capture_files.h), rotating when the next block would
// pass the size bound. The packet threads never wait for it: a full queue refuses the packet
// (counted as dropped_queue_full by the queue); a failed write (disk full, I/O error) loses the
// packets of that write, which are counted as dropped_write_error, and the file is cut back to its
// last whole block, so every file stays readable. Memory: the queues' capacity and one write
// buffer (kWriteBuffer).
//
// Each file is one section: a Section Header Block, one Interface Description Block (LINKTYPE_RAW)
// and the packets' Enhanced Packet Blocks. One interface, not one per network interface: libpcap
// 1.10 (Debian 12) refuses a second LINKTYPE_RAW interface in a file (it compares the file's 101
// with its own DLT_RAW, 12: "an interface has a type 101 different from the type of the first
// interface"), and `icmpgate replay` reads the captures through libpcap. The packets' interfaces
// are in their comments (in=, out=).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "filter/capture/capture_counters.h"
#include "filter/capture/capture_files.h"
#include "filter/capture/capture_queue.h"
#include "filter/pipeline/counter.h"

namespace icmpgate::capture {

struct CaptureWriterOptions {
    CaptureFileOptions files;
    std::string application{"icmpgate"};  // the Section Header's shb_userappl
    std::string interface_name;           // the interface's if_name ("" = none: the daemon's packets come from many)
    // The clock of the file names (CLOCK_REALTIME, ns); tests pass a fake.
    std::int64_t (*wall_clock)() noexcept {nullptr};
};

class CaptureWriter {
public:
    // Bytes collected before one write() (at least the largest block).
    static constexpr std::size_t kWriteBuffer = 1U << 20U;
    // The writer takes what the queues hold at least this often by itself: a captured packet is
    // in its file within this time (or at once when a queue fills, see notify()).
    static constexpr std::chrono::milliseconds kWritePeriod{250};

    explicit CaptureWriter(CaptureWriterOptions options);
    CaptureWriter(const CaptureWriter&) = delete;
    CaptureWriter& operator=(const CaptureWriter&) = delete;
    ~CaptureWriter();  // stop()

    // Before start(): a queue of `capacity` bytes for one packet thread; it lives as long as the writer.
    [[nodiscard]] CaptureQueue& add_queue(std::size_t capacity);

    // Opens the directory (capture_files.h), starts the first file and the writer thread, as the
    // user the process runs as now. Throws std::system_error.
    void start();

    // Wakes the writer if it sleeps (it comes by itself every kWritePeriod). Producers call it
    // after a batch's verdicts went out (a writer woken mid-batch could take the core from the
    // packet thread), and only when their queue fills faster than the writer's period empties
    // it (capture_sink.cc): a wake-up per batch costs the packet thread a futex call and the
    // other core an interrupt.
    void notify() noexcept;
    // notify() calls so far, from any thread (tests: the sinks' wake policy).
    [[nodiscard]] std::uint64_t wake_requests() const noexcept {
        return wake_requests_.load(std::memory_order_relaxed);
    }

    // Writes everything queued so far and waits until it is written (tests, shutdown).
    void flush() noexcept;

    // Writes what the queues hold, closes the file and stops the thread. Call once the producers
    // have stopped; idempotent.
    void stop() noexcept;

    [[nodiscard]] CaptureCounts counts() const noexcept;
    // The file being written ("" before start()): for the start-up message.
    [[nodiscard]] std::string current_file() const;

private:
    void run() noexcept;
    [[nodiscard]] bool queues_empty() const noexcept;
    void drain() noexcept;
    void write_packet(const QueuedPacket& packet) noexcept;
    [[nodiscard]] bool start_file() noexcept;
    void flush_buffer() noexcept;
    [[nodiscard]] std::int64_t now() const noexcept;

    CaptureWriterOptions options_;
    CaptureFiles files_;
    std::vector<std::unique_ptr<CaptureQueue>> queues_;

    // Writer thread only.
    std::unique_ptr<std::uint8_t[]> buffer_;
    std::size_t buffered_{0};            // bytes in buffer_
    std::uint64_t buffered_packets_{0};  // packets in buffer_
    std::uint64_t file_packets_{0};      // packets in the current file (written)
    std::int64_t retry_after_ns_{0};     // no new file before this time after a failure

    // Written by the writer thread only (single-writer counters), read by counts().
    pipeline::Counter written_;
    pipeline::Counter dropped_write_error_;
    pipeline::Counter write_errors_;
    pipeline::Counter files_opened_;
    pipeline::Counter files_removed_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    std::atomic<bool> sleeping_{false};
    std::atomic<std::uint64_t> wake_requests_{0};
    bool stop_requested_{false};
    std::uint64_t flush_requests_{0};
    std::uint64_t flushes_done_{0};
    std::string current_file_;  // guarded by mutex_
    std::thread thread_;
};

}  // namespace icmpgate::capture
