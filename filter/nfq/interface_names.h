#pragma once
// ifindex -> interface name, for in_interface/out_interface rules and the log. The kernel
// gives indexes; resolving one is a system call, so names are cached in a fixed table
// and looked up again only on a miss or after clear() (on SIGHUP: interfaces come and go).

#include <array>
#include <cstdint>
#include <mutex>

#include "filter/decode/packet_meta.h"

namespace icmpgate::nfq {

class InterfaceNames {
public:
    // Empty name for index 0 (not present) or an index that no longer exists.
    [[nodiscard]] decode::InterfaceName name(std::uint32_t ifindex) noexcept;
    void clear() noexcept;

private:
    static constexpr std::size_t kCached = 4096;  // indexes above this are resolved each time
    struct Entry {
        decode::InterfaceName name;
        bool known{false};
    };
    std::mutex mutex_;  // shared by the queue threads; held only for a copy or a miss
    std::array<Entry, kCached> cache_{};
};

}  // namespace icmpgate::nfq
