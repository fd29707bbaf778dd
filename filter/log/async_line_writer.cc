#include "filter/log/async_line_writer.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <span>
#include <system_error>

#include "filter/log/icmpgate_event.h"

namespace icmpgate::log {
namespace {

// Lines per writev(): large enough to amortise the system call, small enough for IOV_MAX.
constexpr std::size_t kLinesPerWrite = 256;
// Queued bytes that end a linger early: the writer keeps up with a busy log while the
// buffer is still far from full.
constexpr std::size_t kEagerBytes = 64U << 10U;
// Record header: the length of the line that follows (newline included).
constexpr std::size_t kHeaderSize = sizeof(std::uint32_t);
// Header value marking the rest of the ring as skipped (the next record starts at 0).
constexpr std::uint32_t kWrapMarker = UINT32_MAX;

std::uint32_t read_header(const char* at) noexcept {
    std::uint32_t value = 0;
    std::memcpy(&value, at, sizeof value);
    return value;
}

void write_header(char* at, std::uint32_t value) noexcept {
    std::memcpy(at, &value, sizeof value);
}
constexpr mode_t kLogFileMode = 0640;
// The longest log_gap event, worked out from the code that writes it (icmpgate_event.h).
constexpr std::size_t kGapRecordMax = kLogGapLineMax;

// A log_gap event (icmpgate_event.h): how many lines were lost and why, stamped now.
std::size_t format_gap_record(std::span<char> out, std::uint64_t lost, LineLoss why) noexcept {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return format_log_gap(static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec, lost, why, out);
}

}  // namespace

AsyncLineWriter::AsyncLineWriter(Options options)
    : options_{[&] {
          options.capacity_bytes = std::max(options.capacity_bytes, kMinCapacity);
          options.max_line = std::min(options.max_line, options.capacity_bytes / 2 - kHeaderSize);
          return std::move(options);
      }()},
      ring_{new char[options_.capacity_bytes]},  // default-initialised: pages are committed on use
      eager_bytes_{std::min<std::size_t>(kEagerBytes, options_.capacity_bytes / 4)} {
    if (!open_file()) throw std::system_error(errno, std::generic_category(), "opening log " + options_.path);
    writer_ = std::thread([this] { run(); });
}

AsyncLineWriter::~AsyncLineWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_writer_.notify_one();
    if (writer_.joinable()) writer_.join();
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

bool AsyncLineWriter::open_file() noexcept {
    if (options_.path == "-") {
        fd_ = STDOUT_FILENO;
        owns_fd_ = false;
        return true;
    }
    const int fd = ::open(options_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, kLogFileMode);
    if (fd < 0) return false;
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
    fd_ = fd;
    owns_fd_ = true;
    return true;
}

char* AsyncLineWriter::reserve(std::size_t size) noexcept {
    const std::size_t capacity = options_.capacity_bytes;
    if (used_ == 0) head_ = 0;  // empty: start at the front, the largest contiguous space
    if (capacity - used_ < size) return nullptr;
    const std::size_t tail = (head_ + used_) % capacity;
    if (tail >= head_) {
        // Free space is [tail, capacity) and then [0, head_).
        if (capacity - tail >= size) {
            used_ += size;
            return ring_.get() + tail;
        }
        if (head_ < size) return nullptr;
        if (capacity - tail >= kHeaderSize) write_header(ring_.get() + tail, kWrapMarker);
        used_ += (capacity - tail) + size;  // the skipped end counts as used until the writer passes it
        return ring_.get();
    }
    // Free space is [tail, head_).
    if (head_ - tail < size) return nullptr;
    used_ += size;
    return ring_.get() + tail;
}

bool AsyncLineWriter::put_record(std::string_view line) noexcept {
    const std::size_t size = line.size() + 1;  // + newline
    char* at = reserve(kHeaderSize + size);
    if (at == nullptr) return false;
    write_header(at, static_cast<std::uint32_t>(size));
    char* out = at + kHeaderSize;
    if (!line.empty()) std::memcpy(out, line.data(), line.size());  // an empty view may hold null
    out[line.size()] = '\n';
    ++queued_lines_;
    return true;
}

bool AsyncLineWriter::submit(std::string_view line) noexcept {
    std::unique_lock lock(mutex_);
    if (!enqueue(line)) return false;
    const bool wake = writer_needs_wake();
    lock.unlock();
    if (wake) wake_writer_.notify_one();
    return true;
}

bool AsyncLineWriter::writer_needs_wake() const noexcept {
    // A producer holds mutex_, so the writer is either writing (busy) or in one of its waits.
    return !writer_busy_ && used_ > 0 && (!lingering_ || used_ >= eager_bytes_);
}

bool AsyncLineWriter::submit_without_wake(std::string_view line) noexcept {
    std::lock_guard lock(mutex_);
    return enqueue(line);
}

void AsyncLineWriter::wake() noexcept {
    std::unique_lock lock(mutex_);
    const bool wake = writer_needs_wake();
    lock.unlock();
    if (wake) wake_writer_.notify_one();
}

bool AsyncLineWriter::enqueue(std::string_view line) noexcept {
    if (line.size() + 1 > options_.max_line) {
        ++stats_.dropped_too_long;
        return false;
    }
    // A pending gap record goes just before the first line taken after the gap.
    if (gap_queue_full_ > 0) {
        std::array<char, kGapRecordMax> gap{};
        const std::size_t n = format_gap_record(gap, gap_queue_full_, LineLoss::queue_full);
        if (!put_record({gap.data(), n})) {
            ++stats_.dropped_queue_full;
            ++gap_queue_full_;
            return false;
        }
        gap_queue_full_ = 0;
    }
    if (!put_record(line)) {
        ++stats_.dropped_queue_full;
        ++gap_queue_full_;
        return false;
    }
    return true;
}

void AsyncLineWriter::request_reopen() noexcept {
    {
        std::lock_guard lock(mutex_);
        reopen_requested_ = true;
    }
    wake_writer_.notify_one();
}

void AsyncLineWriter::flush() noexcept {
    std::unique_lock lock(mutex_);
    ++flush_waiters_;  // ends a linger
    wake_writer_.notify_one();
    drained_.wait(lock, [this] { return used_ == 0 && !writer_busy_; });
    --flush_waiters_;
}

LogWriterStats AsyncLineWriter::stats() const noexcept {
    std::lock_guard lock(mutex_);
    return stats_;
}

bool AsyncLineWriter::write_all(const char* data, std::size_t size, std::size_t* written) noexcept {
    while (size > 0) {
        const ssize_t n = ::write(fd_, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
        if (written != nullptr) *written += static_cast<std::size_t>(n);
    }
    return true;
}

void AsyncLineWriter::run() noexcept {
    std::array<iovec, kLinesPerWrite> iov{};
    bool line_cut = false;  // a failed write left half a line in the file
    const std::size_t capacity = options_.capacity_bytes;
    std::unique_lock lock(mutex_);
    for (;;) {
        const bool was_empty = used_ == 0;
        wake_writer_.wait(lock, [this] { return used_ > 0 || stopping_ || reopen_requested_; });
        // Linger only after idling: a backlog is written chunk after chunk without pauses.
        if (was_empty && options_.linger.count() > 0 && used_ > 0) {
            lingering_ = true;
            wake_writer_.wait_for(lock, options_.linger, [this] {
                return stopping_ || reopen_requested_ || flush_waiters_ > 0 || used_ >= eager_bytes_;
            });
            lingering_ = false;
        }
        if (reopen_requested_) {
            reopen_requested_ = false;
            if (open_file()) {
                ++stats_.reopens;
                line_cut = false;  // a new file starts clean
            } else {
                ++stats_.write_errors;
            }
        }
        if (used_ == 0) {
            if (stopping_) break;
            continue;
        }
        // Collect up to kLinesPerWrite records from head_. Producers only write into free
        // space, so the bytes collected stay put while the lock is released.
        std::size_t pos = head_;
        std::size_t consumed = 0;
        std::size_t batch = 0;
        std::size_t bytes = 0;
        while (consumed < used_ && batch < kLinesPerWrite) {
            if (capacity - pos < kHeaderSize || read_header(ring_.get() + pos) == kWrapMarker) {
                consumed += capacity - pos;  // a skipped end
                pos = 0;
                continue;
            }
            const std::uint32_t length = read_header(ring_.get() + pos);
            iov[batch++] = {ring_.get() + pos + kHeaderSize, length};
            bytes += length;
            consumed += kHeaderSize + length;
            pos = (pos + kHeaderSize + length) % capacity;
        }
        writer_busy_ = true;
        const std::uint64_t lost_before = gap_write_error_;
        lock.unlock();
        bool ok = true;
        // The file ends inside a line before this batch's lines: a half line an earlier failed
        // write left, until its newline lands, or half a gap event.
        bool cut_before_batch = line_cut;
        if (line_cut) {
            ok = write_all("\n", 1);  // end the half line a failed write left
            cut_before_batch = !ok;
        }
        if (ok && lost_before > 0) {
            std::array<char, kGapRecordMax + 1> gap{};
            std::size_t n =
                format_gap_record(std::span<char>{gap.data(), kGapRecordMax}, lost_before, LineLoss::write_error);
            gap[n++] = '\n';
            std::size_t gap_written = 0;
            ok = write_all(gap.data(), n, &gap_written);
            cut_before_batch = !ok && gap_written > 0;
        }
        std::size_t written = 0;
        if (ok) {
            // writev, then finish a short write piecewise; stop at the first failure.
            ssize_t n = ::writev(fd_, iov.data(), static_cast<int>(batch));
            while (n < 0 && errno == EINTR) n = ::writev(fd_, iov.data(), static_cast<int>(batch));
            written = n > 0 ? static_cast<std::size_t>(n) : 0;
            ok = n >= 0;
            // Finish a short write line by line, counting every byte that lands.
            auto write_counted = [&](const char* data, std::size_t size) {
                while (size > 0) {
                    const ssize_t m = ::write(fd_, data, size);
                    if (m < 0 && errno == EINTR) continue;
                    if (m <= 0) return false;
                    data += m;
                    size -= static_cast<std::size_t>(m);
                    written += static_cast<std::size_t>(m);
                }
                return true;
            };
            std::size_t skip = written;
            for (std::size_t i = 0; i < batch && ok && written < bytes; ++i) {
                if (skip >= iov[i].iov_len) {
                    skip -= iov[i].iov_len;
                    continue;
                }
                ok = write_counted(static_cast<const char*>(iov[i].iov_base) + skip, iov[i].iov_len - skip);
                skip = 0;
            }
        }
        // How many whole lines reached the file, and did the bytes end on a line boundary?
        std::size_t lines_done = batch;
        bool ends_on_line = true;
        if (!ok) {
            std::size_t sum = 0;
            lines_done = 0;
            while (lines_done < batch && sum + iov[lines_done].iov_len <= written) sum += iov[lines_done++].iov_len;
            ends_on_line = sum == written;
        }

        lock.lock();
        writer_busy_ = false;
        head_ = pos;
        used_ -= consumed;
        queued_lines_ -= batch;
        stats_.written += lines_done;
        if (ok) {
            gap_write_error_ -= lost_before;
            line_cut = false;
        } else {
            ++stats_.write_errors;
            stats_.dropped_write_error += batch - lines_done;
            gap_write_error_ += batch - lines_done;
            // Nothing of the batch was written when the newline or the gap event failed.
            line_cut = cut_before_batch || !ends_on_line;
        }
        drained_.notify_all();
    }
    drained_.notify_all();
}

}  // namespace icmpgate::log
