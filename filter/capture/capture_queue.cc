#include "filter/capture/capture_queue.h"

#include <algorithm>
#include <cstring>

#include "filter/capture/pcapng_blocks.h"

namespace icmpgate::capture {
namespace {

constexpr std::size_t kAlign = 8;
constexpr std::uint32_t kWrapMarker = UINT32_MAX;  // in a size field: the rest of the ring is skipped

// A record's header, copied in and out with memcpy (host order, never leaves the process).
struct RecordHeader {
    std::uint32_t size;  // the whole record, padded; kWrapMarker = skip to offset 0
    std::uint32_t data_length;
    std::uint32_t original_length;
    std::uint32_t comment_length;
    std::int64_t time_ns;
};
static_assert(sizeof(RecordHeader) % kAlign == 0);

constexpr std::size_t aligned(std::size_t n) noexcept {
    return (n + kAlign - 1) / kAlign * kAlign;
}

}  // namespace

CaptureQueue::CaptureQueue(std::size_t capacity)
    : capacity_{aligned(std::max(capacity, kMinCapacity))}, ring_{new std::uint8_t[capacity_]} {
    // Every page now, not on the packet thread's first pass (a fault per 4 KiB page: 2.5% of a
    // drain's time with captures on, docs/performance.md).
    std::memset(ring_.get(), 0, capacity_);
}

bool CaptureQueue::push(const QueuedPacket& packet) noexcept {
    const std::string_view comment = packet.comment.substr(0, std::min<std::size_t>(packet.comment.size(), UINT16_MAX));
    const decode::Bytes data = packet.data.first(std::min<std::size_t>(packet.data.size(), kSnapLength));
    const std::size_t size = aligned(sizeof(RecordHeader) + comment.size() + data.size());

    const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
    const std::uint64_t head = head_.load(std::memory_order_acquire);
    const std::size_t free = capacity_ - static_cast<std::size_t>(tail - head);
    const std::size_t offset = static_cast<std::size_t>(tail % capacity_);
    // Offsets and sizes are multiples of 8: a skipped end always has room for the marker.
    const std::size_t skipped = capacity_ - offset < size ? capacity_ - offset : 0;
    if (free < skipped + size) {
        refused_.add();
        return false;
    }
    if (skipped > 0) std::memcpy(ring_.get() + offset, &kWrapMarker, sizeof kWrapMarker);
    std::uint8_t* at = ring_.get() + (skipped > 0 ? 0 : offset);

    RecordHeader header{};
    header.size = static_cast<std::uint32_t>(size);
    header.data_length = static_cast<std::uint32_t>(data.size());
    header.original_length = std::max(packet.original_length, static_cast<std::uint32_t>(packet.data.size()));
    header.comment_length = static_cast<std::uint32_t>(comment.size());
    header.time_ns = packet.time_ns;
    std::memcpy(at, &header, sizeof header);
    if (!comment.empty()) std::memcpy(at + sizeof header, comment.data(), comment.size());
    if (!data.empty()) std::memcpy(at + sizeof header + comment.size(), data.data(), data.size());
    // seq_cst: pairs with the writer's "going to sleep" flag (capture_writer.cc).
    tail_.store(tail + skipped + size, std::memory_order_seq_cst);
    return true;
}

bool CaptureQueue::front(QueuedPacket& packet) noexcept {
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    if (head == tail) return false;
    std::size_t offset = static_cast<std::size_t>(head % capacity_);
    std::uint32_t size = 0;
    std::memcpy(&size, ring_.get() + offset, sizeof size);
    if (size == kWrapMarker) {
        head += capacity_ - offset;
        head_.store(head, std::memory_order_release);
        if (head == tail) return false;  // cannot happen: a marker is written with the record after it
        offset = 0;
    }
    RecordHeader header{};
    std::memcpy(&header, ring_.get() + offset, sizeof header);
    const std::uint8_t* body = ring_.get() + offset + sizeof header;
    packet.time_ns = header.time_ns;
    packet.original_length = header.original_length;
    packet.comment = {reinterpret_cast<const char*>(body), header.comment_length};  // NOLINT: bytes as text
    packet.data = decode::Bytes{body + header.comment_length, header.data_length};
    front_size_ = header.size;
    return true;
}

void CaptureQueue::pop() noexcept {
    if (front_size_ == 0) return;
    head_.store(head_.load(std::memory_order_relaxed) + front_size_, std::memory_order_release);
    front_size_ = 0;
}

}  // namespace icmpgate::capture
