#pragma once
// ifindex -> interface name, for in_interface/out_interface rules and the log. The kernel
// gives indexes; resolving one is a system call, so names are cached in a fixed table.
// One cache per queue thread, with no lock: the packet path reads it without any
// synchronisation. Names change rarely (a rename keeps the index), so an entry is looked up
// again when it is older than kMaxAgeNs, when the index was unknown (a miss is resolved
// each time it is seen), and after InterfaceNamesEpoch::invalidate() (on SIGHUP), which
// every thread notices at its next receive batch.

#include <array>
#include <atomic>
#include <cstdint>

#include "filter/decode/packet_meta.h"

namespace icmpgate::nfq {

// Shared by the control thread (writes on SIGHUP) and the queue threads (read once per batch).
class InterfaceNamesEpoch {
public:
    void invalidate() noexcept { value_.fetch_add(1, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

using InterfaceResolver = decode::InterfaceName (*)(std::uint32_t ifindex) noexcept;
// The system's answer (if_indextoname): empty when the index does not exist.
[[nodiscard]] decode::InterfaceName resolve_interface_name(std::uint32_t ifindex) noexcept;

class InterfaceNames {
public:
    // A cached name is resolved again after this long: bounds how stale a renamed
    // interface's name can be without a SIGHUP.
    static constexpr std::int64_t kMaxAgeNs = 10'000'000'000;

    explicit InterfaceNames(const InterfaceNamesEpoch& epoch,
                            InterfaceResolver resolve = resolve_interface_name) noexcept
        : epoch_{&epoch}, seen_epoch_{epoch.value()}, resolve_{resolve} {}

    // Once per receive batch, before name(): forgets every entry when the epoch moved.
    void begin_batch() noexcept;
    // Empty name for index 0 (not present) or an index that no longer exists. `now_ns` is
    // the batch's monotonic time.
    [[nodiscard]] decode::InterfaceName name(std::uint32_t ifindex, std::int64_t now_ns) noexcept;
    void clear() noexcept;

private:
    static constexpr std::size_t kCached = 4096;  // indexes above this are resolved each time
    struct Entry {
        decode::InterfaceName name;
        bool known{false};
        std::int64_t resolved_ns{0};
    };
    const InterfaceNamesEpoch* epoch_;
    std::uint64_t seen_epoch_;
    InterfaceResolver resolve_;
    std::array<Entry, kCached> cache_{};
};

}  // namespace icmpgate::nfq
