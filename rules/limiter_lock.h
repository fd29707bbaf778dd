#pragma once
// The lock of the shared limiter state (rate_limiter.h). Its critical sections are short and
// make no system calls (a few table probes, a refill), so uncontended it costs one atomic
// exchange and one store where std::mutex costs a library call each way, on every
// rate-limited packet. Contended, a waiter spins briefly and then yields its CPU, so a holder
// preempted inside the section does not leave the other queue threads burning time slices.
// Satisfies Lockable (lock, try_lock, unlock) for std::lock_guard and std::scoped_lock.

#include <atomic>
#include <thread>

namespace icmpgate::rules {

class LimiterLock {
public:
    void lock() noexcept {
        unsigned spins = 0;
        while (locked_.exchange(true, std::memory_order_acquire)) {
            // Wait on a plain load (no cache-line ping-pong), then try again.
            while (locked_.load(std::memory_order_relaxed)) {
                if (++spins < kSpinsBeforeYield) {
                    pause();
                } else {
                    std::this_thread::yield();
                }
            }
        }
    }
    [[nodiscard]] bool try_lock() noexcept {
        return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire);
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    static constexpr unsigned kSpinsBeforeYield = 64;

    static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }

    std::atomic<bool> locked_{false};
};

}  // namespace icmpgate::rules
