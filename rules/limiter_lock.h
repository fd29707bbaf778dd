#pragma once
// The lock of the shared limiter state (rate_limiter.h): every queue thread takes it once per
// rate-limited packet, for well under a microsecond, and contention is rare (one thread per
// queue). Uncontended it is one compare-exchange to lock and one exchange to unlock, where
// pthread_mutex_lock/unlock cost ~55 instructions per packet in callgrind. Contended, a waiter
// sleeps in the kernel (std::atomic::wait: a futex on Linux) until the holder wakes it, as a
// mutex does; it never spins on a lock whose holder may have been preempted, which on a
// gateway with few cores would burn the CPU the holder needs. The three-state protocol
// (free, held, held with sleepers) lets an unlock skip the wake-up when nobody sleeps
// (U. Drepper, "Futexes Are Tricky", mutex 2).

#include <atomic>
#include <cstdint>

namespace icmpgate::rules {

class LimiterLock {
public:
    void lock() noexcept {
        std::uint32_t expected = kFree;
        if (state_.compare_exchange_strong(expected, kHeld, std::memory_order_acquire, std::memory_order_relaxed))
            return;
        // Contended: mark the lock as having sleepers (this thread, from now on), and sleep
        // until it is free; taking it in the same exchange keeps the mark for later sleepers.
        while (state_.exchange(kHeldWithSleepers, std::memory_order_acquire) != kFree)
            state_.wait(kHeldWithSleepers, std::memory_order_relaxed);
    }

    [[nodiscard]] bool try_lock() noexcept {
        std::uint32_t expected = kFree;
        return state_.compare_exchange_strong(expected, kHeld, std::memory_order_acquire, std::memory_order_relaxed);
    }

    void unlock() noexcept {
        if (state_.exchange(kFree, std::memory_order_release) == kHeldWithSleepers) state_.notify_one();
    }

private:
    static constexpr std::uint32_t kFree = 0;
    static constexpr std::uint32_t kHeld = 1;
    static constexpr std::uint32_t kHeldWithSleepers = 2;
    std::atomic<std::uint32_t> state_{kFree};
};

}  // namespace icmpgate::rules
