#pragma once
// The lock of the shared limiter state (rate_limiter.h): every queue thread takes it once per
// rate-limited packet. A plain std::mutex on purpose. A spin-then-yield lock saved about 30
// instructions per limited packet in callgrind, but on a gateway with few cores the holder can
// be preempted by softirq work or the sender inside the section, and sched_yield() gives no
// guarantee that it runs next, so waiters would burn the very CPU the holder needs. glibc's
// mutex is one atomic instruction each way when uncontended and sleeps in the kernel when not.

#include <mutex>

namespace icmpgate::rules {

using LimiterLock = std::mutex;

}  // namespace icmpgate::rules
