#include "filter/log/async_line_writer.h"

#include "filter/log/eve_timestamp.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>

namespace icmpgate::log {
namespace {

// Lines per writev(): large enough to amortise the system call, small enough for IOV_MAX.
constexpr std::size_t kLinesPerWrite = 256;
constexpr mode_t kLogFileMode = 0640;

// A log_gap record: how many lines were lost and why, stamped now.
std::size_t format_gap_record(char* out, std::size_t size, std::uint64_t lost, const char* why) noexcept {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    std::array<char, kEveTimestampLength> stamp{};
    format_eve_timestamp(static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec, stamp);
    const int n = std::snprintf(out, size,
                                "{\"timestamp\":\"%.*s\",\"event_type\":\"log_gap\",\"lines_dropped\":%llu,"
                                "\"reason\":\"%s\"}",
                                static_cast<int>(stamp.size()), stamp.data(), static_cast<unsigned long long>(lost), why);
    return n < 0 ? 0 : std::min(static_cast<std::size_t>(n), size - 1);
}

}  // namespace

AsyncLineWriter::AsyncLineWriter(Options options)
    : options_{[&] {
          options.slot_size = std::max(options.slot_size, kMinSlotSize);
          options.slots = std::max(options.slots, kMinSlots);
          return std::move(options);
      }()},
      ring_(options_.slots * options_.slot_size),
      lengths_(options_.slots, 0) {
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

bool AsyncLineWriter::submit(std::string_view line) noexcept {
    const std::size_t needed = line.size() + 1;  // + newline
    std::unique_lock lock(mutex_);
    if (needed > options_.slot_size) {
        ++stats_.dropped_too_long;
        return false;
    }
    // A pending gap record takes a slot of its own, just before the first line after the gap.
    const std::size_t slots_needed = gap_queue_full_ > 0 ? 2 : 1;
    if (options_.slots - count_ < slots_needed) {
        ++stats_.dropped_queue_full;
        ++gap_queue_full_;
        return false;
    }
    auto next_slot = [&]() -> std::size_t {
        const std::size_t slot = (head_ + count_) % options_.slots;
        ++count_;
        return slot;
    };
    if (gap_queue_full_ > 0) {
        const std::size_t slot = next_slot();
        char* out = ring_.data() + slot * options_.slot_size;
        std::size_t n = format_gap_record(out, options_.slot_size - 1, gap_queue_full_, "queue_full");
        out[n++] = '\n';
        lengths_[slot] = static_cast<std::uint32_t>(n);
        gap_queue_full_ = 0;
    }
    const std::size_t slot = next_slot();
    char* out = ring_.data() + slot * options_.slot_size;
    std::memcpy(out, line.data(), line.size());
    out[line.size()] = '\n';
    lengths_[slot] = static_cast<std::uint32_t>(needed);
    const bool wake = !writer_busy_;
    lock.unlock();
    if (wake) wake_writer_.notify_one();
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
    drained_.wait(lock, [this] { return count_ == 0 && !writer_busy_; });
}

LogWriterStats AsyncLineWriter::stats() const noexcept {
    std::lock_guard lock(mutex_);
    return stats_;
}

bool AsyncLineWriter::write_all(const char* data, std::size_t size) noexcept {
    while (size > 0) {
        const ssize_t n = ::write(fd_, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void AsyncLineWriter::run() noexcept {
    std::array<iovec, kLinesPerWrite> iov{};
    bool line_cut = false;  // a failed write left half a line in the file
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_writer_.wait(lock, [this] { return count_ > 0 || stopping_ || reopen_requested_; });
        if (reopen_requested_) {
            reopen_requested_ = false;
            if (open_file()) {
                ++stats_.reopens;
                line_cut = false;  // a new file starts clean
            } else {
                ++stats_.write_errors;
            }
        }
        if (count_ == 0) {
            if (stopping_) break;
            continue;
        }
        const std::size_t batch = std::min({count_, kLinesPerWrite, options_.slots - head_});
        std::size_t bytes = 0;
        for (std::size_t i = 0; i < batch; ++i) {
            const std::size_t slot = head_ + i;
            iov[i] = {ring_.data() + slot * options_.slot_size, lengths_[slot]};
            bytes += lengths_[slot];
        }
        writer_busy_ = true;
        const std::uint64_t lost_before = gap_write_error_;
        lock.unlock();

        bool ok = true;
        if (line_cut) ok = write_all("\n", 1);  // end the half line a failed write left
        if (ok && lost_before > 0) {
            std::array<char, 160> gap{};
            std::size_t n = format_gap_record(gap.data(), gap.size() - 1, lost_before, "write_error");
            gap[n++] = '\n';
            ok = write_all(gap.data(), n);
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
        head_ = (head_ + batch) % options_.slots;
        count_ -= batch;
        stats_.written += lines_done;
        if (ok) {
            gap_write_error_ -= lost_before;
            line_cut = false;
        } else {
            ++stats_.write_errors;
            stats_.dropped_write_error += batch - lines_done;
            gap_write_error_ += batch - lines_done;
            line_cut = !ends_on_line;
        }
        drained_.notify_all();
    }
    drained_.notify_all();
}

}  // namespace icmpgate::log
