#include "filter/capture/capture_writer.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <span>
#include <system_error>

#include "filter/capture/pcapng_blocks.h"

namespace icmpgate::capture {
namespace {

// Records taken from one queue before the next queue's turn.
constexpr std::size_t kRecordsPerTurn = 256;
// After a file could not be started (directory gone, disk full), no new attempt before this.
constexpr std::int64_t kRetryIntervalNs = 1'000'000'000;
constexpr std::string_view kInterfaceDescription = "layer-3 packets; each comment holds the verdict and the interfaces";

std::int64_t realtime_ns() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

CaptureWriter::CaptureWriter(CaptureWriterOptions options)
    : options_{std::move(options)}, files_{options_.files}, buffer_{new std::uint8_t[kWriteBuffer]} {
    std::memset(buffer_.get(), 0, kWriteBuffer);  // its pages now, not while a burst is written
    if (options_.wall_clock == nullptr) options_.wall_clock = realtime_ns;
    if (options_.files.max_files == 0) options_.files.max_files = 1;
}

CaptureWriter::~CaptureWriter() {
    stop();
}

CaptureQueue& CaptureWriter::add_queue(std::size_t capacity) {
    queues_.push_back(std::make_unique<CaptureQueue>(capacity));
    return *queues_.back();
}

std::int64_t CaptureWriter::now() const noexcept {
    return options_.wall_clock();
}

void CaptureWriter::start() {
    files_.open_directory();
    if (!start_file())
        throw std::system_error(errno, std::generic_category(),
                                "starting a capture file in " + options_.files.directory);
    thread_ = std::thread([this] { run(); });
}

void CaptureWriter::notify() noexcept {
    // seq_cst: pairs with the producer's tail store (capture_queue.cc) and the writer's store of
    // sleeping_ before it checks the queues: one of the two sides always sees the other.
    wake_requests_.fetch_add(1, std::memory_order_relaxed);
    if (!sleeping_.load(std::memory_order_seq_cst)) return;
    std::lock_guard lock(mutex_);
    wake_.notify_one();
}

void CaptureWriter::flush() noexcept {
    std::unique_lock lock(mutex_);
    if (!thread_.joinable()) return;
    const std::uint64_t ticket = ++flush_requests_;
    wake_.notify_one();
    drained_.wait(lock, [&] { return flushes_done_ >= ticket || !thread_.joinable(); });
}

void CaptureWriter::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

CaptureCounts CaptureWriter::counts() const noexcept {
    CaptureCounts c;
    c[CaptureCounter::written] = written_.get();
    for (const auto& q : queues_) c[CaptureCounter::dropped_queue_full] += q->refused();
    c[CaptureCounter::dropped_write_error] = dropped_write_error_.get();
    c[CaptureCounter::write_errors] = write_errors_.get();
    c[CaptureCounter::files_opened] = files_opened_.get();
    c[CaptureCounter::files_removed] = files_removed_.get();
    return c;
}

std::string CaptureWriter::current_file() const {
    std::lock_guard lock(mutex_);
    return current_file_;
}

bool CaptureWriter::queues_empty() const noexcept {
    for (const auto& q : queues_)
        if (!q->empty()) return false;
    return true;
}

void CaptureWriter::run() noexcept {
    for (;;) {
        bool stopping = false;
        std::uint64_t flush_ticket = 0;
        {
            std::unique_lock lock(mutex_);
            sleeping_.store(true, std::memory_order_seq_cst);
            wake_.wait_for(lock, kWritePeriod,
                           [&] { return stop_requested_ || flush_requests_ > flushes_done_ || !queues_empty(); });
            sleeping_.store(false, std::memory_order_seq_cst);
            stopping = stop_requested_;
            flush_ticket = flush_requests_;
        }
        drain();
        flush_buffer();
        {
            std::lock_guard lock(mutex_);
            flushes_done_ = flush_ticket;
        }
        drained_.notify_all();
        if (stopping && queues_empty()) break;
    }
    files_.close();
    {
        std::lock_guard lock(mutex_);
        flushes_done_ = flush_requests_;
    }
    drained_.notify_all();
}

void CaptureWriter::drain() noexcept {
    bool took = true;
    while (took) {
        took = false;
        for (const auto& q : queues_) {
            QueuedPacket packet;
            for (std::size_t n = 0; n < kRecordsPerTurn && q->front(packet); ++n) {
                write_packet(packet);
                q->pop();
                took = true;
            }
        }
    }
}

bool CaptureWriter::start_file() noexcept {
    const std::int64_t t = now();
    if (t < retry_after_ns_) return false;
    std::uint64_t removed = 0;
    const bool started = files_.start_file(t, removed);
    files_removed_.add(removed);
    file_packets_ = 0;
    if (started) {
        // The section header and the interface go out at once: a file is never without them.
        std::array<std::uint8_t, 512> head{};
        const std::size_t shb = write_section_header(head, {options_.application});
        const std::size_t idb =
            write_interface_description(std::span{head}.subspan(shb), {options_.interface_name, kInterfaceDescription});
        if (shb > 0 && idb > 0 && files_.append(std::span{head}.first(shb + idb))) {
            files_opened_.add();
            std::lock_guard lock(mutex_);
            current_file_ = files_.current_path();
            return true;
        }
        write_errors_.add();
        files_.close();
    }
    retry_after_ns_ = t + kRetryIntervalNs;
    return false;
}

void CaptureWriter::write_packet(const QueuedPacket& packet) noexcept {
    if (!files_.is_open() && !start_file()) {
        dropped_write_error_.add();
        return;
    }
    const EnhancedPacket epb{0, packet.time_ns, packet.data, packet.original_length, packet.comment};
    const std::size_t need = enhanced_packet_size(epb);
    const std::uint64_t file_bytes = files_.size() + buffered_;
    if (file_bytes + need > options_.files.max_file_bytes && file_packets_ + buffered_packets_ > 0) {
        flush_buffer();
        if (!start_file()) {
            dropped_write_error_.add();
            return;
        }
    }
    if (kWriteBuffer - buffered_ < need) flush_buffer();
    const std::size_t n = write_enhanced_packet(std::span{buffer_.get(), kWriteBuffer}.subspan(buffered_), epb);
    if (n == 0) {  // cannot happen: the buffer holds the largest block
        dropped_write_error_.add();
        return;
    }
    buffered_ += n;
    ++buffered_packets_;
}

void CaptureWriter::flush_buffer() noexcept {
    if (buffered_ == 0) return;
    if (files_.append(std::span<const std::uint8_t>{buffer_.get(), buffered_})) {
        written_.add(buffered_packets_);
        file_packets_ += buffered_packets_;
    } else {
        write_errors_.add();
        dropped_write_error_.add(buffered_packets_);
    }
    buffered_ = 0;
    buffered_packets_ = 0;
}

}  // namespace icmpgate::capture
