#include "filter/nfq/interface_names.h"

#include <net/if.h>

#include <string_view>

namespace icmpgate::nfq {
decode::InterfaceName resolve_interface_name(std::uint32_t ifindex) noexcept {
    std::array<char, IF_NAMESIZE> buf{};
    if (if_indextoname(ifindex, buf.data()) == nullptr) return {};
    return decode::InterfaceName::from(std::string_view(buf.data()));
}

void InterfaceNames::begin_batch() noexcept {
    const std::uint64_t epoch = epoch_->value();
    if (epoch == seen_epoch_) return;
    seen_epoch_ = epoch;
    clear();
}

decode::InterfaceName InterfaceNames::name(std::uint32_t ifindex, std::int64_t now_ns) noexcept {
    if (ifindex == 0) return {};
    if (ifindex >= kCached) return resolve_(ifindex);
    Entry& entry = cache_[ifindex];
    if (!entry.known || now_ns - entry.resolved_ns >= kMaxAgeNs) {
        entry.name = resolve_(ifindex);
        entry.known = !entry.name.empty();
        entry.resolved_ns = now_ns;
    }
    return entry.name;
}

void InterfaceNames::clear() noexcept {
    for (Entry& e : cache_) e.known = false;
}

}  // namespace icmpgate::nfq
