#pragma once
// The bounded queue between one packet thread (its capture sink) and the capture writer thread:
// a single-producer single-consumer byte ring of packet records, lock-free. The producer never
// waits: a record that does not fit is refused (the sink counts it). Memory: `capacity` bytes,
// allocated and touched at construction, so that the packet thread takes no page faults writing
// into the ring the first time round.
//
// A record is its header (time, lengths, interface), the comment and the packet's bytes, padded
// to 8 bytes; it never wraps: when it does not fit before the ring's end, the end is skipped
// (marked) and the record starts at offset 0.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "filter/decode/byte_reader.h"
#include "filter/pipeline/counter.h"

namespace icmpgate::capture {

// One packet for the writer. Views: into the producer's buffers when pushed, into the ring
// when taken (valid until pop()).
struct QueuedPacket {
    std::int64_t time_ns{0};           // ns since the epoch
    std::uint32_t original_length{0};  // on the wire (0 = data.size())
    std::string_view comment;
    decode::Bytes data;  // at most pcapng_blocks.h's kSnapLength bytes (longer is cut)
};

class CaptureQueue {
public:
    // The smallest ring: two of the largest records (a 64 KiB packet and its comment) fit.
    static constexpr std::size_t kMinCapacity = 256U << 10U;

    // `capacity` is raised to kMinCapacity and rounded up to 8 bytes.
    explicit CaptureQueue(std::size_t capacity);
    CaptureQueue(const CaptureQueue&) = delete;
    CaptureQueue& operator=(const CaptureQueue&) = delete;

    // Producer: copies the packet in; false when it does not fit now (nothing is written, and
    // the refusal is counted).
    bool push(const QueuedPacket& packet) noexcept;
    // Packets push() refused (written by the producer only).
    [[nodiscard]] std::uint64_t refused() const noexcept { return refused_.get(); }

    // Consumer: the oldest record, if any (views into the ring, valid until pop()).
    [[nodiscard]] bool front(QueuedPacket& packet) noexcept;
    // Consumer: releases the record front() returned.
    void pop() noexcept;

    // Either side: whether a record is waiting (a snapshot).
    [[nodiscard]] bool empty() const noexcept {
        return head_.load(std::memory_order_seq_cst) == tail_.load(std::memory_order_seq_cst);
    }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    // Either side: bytes waiting (a snapshot; records, their padding and skipped ring ends).
    [[nodiscard]] std::size_t used() const noexcept {
        return static_cast<std::size_t>(tail_.load(std::memory_order_acquire) - head_.load(std::memory_order_acquire));
    }

private:
    std::size_t capacity_;
    std::unique_ptr<std::uint8_t[]> ring_;
    // Positions in bytes since the start (offsets are position % capacity): the consumer's and
    // the producer's, each on its own cache line.
    alignas(64) std::atomic<std::uint64_t> head_{0};
    alignas(64) std::atomic<std::uint64_t> tail_{0};
    std::uint64_t front_size_{0};  // consumer only: the size of the record front() returned
    pipeline::Counter refused_;
};

}  // namespace icmpgate::capture
