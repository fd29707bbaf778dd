#pragma once
// A clock the test moves by hand (time is an input everywhere in icmpgate): no sleeping,
// and every instant a test names is exact.

#include <cstdint>

namespace icmpgate::test {

inline constexpr std::int64_t kNanosPerMilli = 1'000'000;
inline constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

class FakeClock {
public:
    // Starts away from zero so that "earlier than the start" is a real instant too.
    static constexpr std::int64_t kDefaultStart = 1'000 * kNanosPerSecond;

    explicit constexpr FakeClock(std::int64_t start_ns = kDefaultStart) noexcept : now_ns_{start_ns} {}

    [[nodiscard]] constexpr std::int64_t now() const noexcept { return now_ns_; }
    constexpr void set(std::int64_t now_ns) noexcept { now_ns_ = now_ns; }
    constexpr void advance_ns(std::int64_t delta) noexcept { now_ns_ += delta; }
    constexpr void advance_ms(std::int64_t delta) noexcept { now_ns_ += delta * kNanosPerMilli; }
    constexpr void advance_s(std::int64_t delta) noexcept { now_ns_ += delta * kNanosPerSecond; }

private:
    std::int64_t now_ns_;
};

}  // namespace icmpgate::test
