#include "rules/limiter_lock.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace icmpgate::rules {

BOOST_AUTO_TEST_SUITE(limiter_lock)

BOOST_AUTO_TEST_CASE(try_lock_fails_while_held_and_succeeds_once_free) {
    LimiterLock lock;
    BOOST_TEST(lock.try_lock());
    BOOST_TEST(!lock.try_lock());
    lock.unlock();
    BOOST_TEST(lock.try_lock());
    lock.unlock();
}

// Threads that increment a plain counter under the lock lose no increment: with more
// threads than cores, holders are preempted and waiters go to sleep and are woken.
BOOST_AUTO_TEST_CASE(excludes_and_wakes_under_contention) {
    LimiterLock lock;
    constexpr int kThreads = 6;
    constexpr int kIncrements = 50'000;
    long counter = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kIncrements; ++i) {
                const std::lock_guard guard(lock);
                ++counter;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    BOOST_TEST(counter == long{kThreads} * kIncrements);
}

BOOST_AUTO_TEST_CASE(a_waiter_proceeds_only_after_the_holder_unlocks) {
    LimiterLock lock;
    lock.lock();
    std::atomic<bool> entered{false};
    std::thread waiter([&] {
        const std::lock_guard guard(lock);
        entered = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the waiter is asleep in lock()
    BOOST_TEST(!entered.load());
    lock.unlock();
    waiter.join();  // returns only if unlock() woke it
    BOOST_TEST(entered.load());
    BOOST_TEST(lock.try_lock());  // and it left the lock free
    lock.unlock();
}

BOOST_AUTO_TEST_CASE(scoped_lock_takes_two_without_deadlock) {
    LimiterLock a;
    LimiterLock b;
    std::thread other([&] {
        for (int i = 0; i < 10'000; ++i) const std::scoped_lock both(b, a);
    });
    for (int i = 0; i < 10'000; ++i) const std::scoped_lock both(a, b);
    other.join();
    BOOST_TEST(a.try_lock());
    BOOST_TEST(b.try_lock());
    a.unlock();
    b.unlock();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace icmpgate::rules
