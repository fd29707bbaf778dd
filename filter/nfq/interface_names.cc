#include "filter/nfq/interface_names.h"

#include <net/if.h>

#include <string_view>

namespace icmpgate::nfq {
namespace {

decode::InterfaceName resolve(std::uint32_t ifindex) noexcept {
    std::array<char, IF_NAMESIZE> buf{};
    if (if_indextoname(ifindex, buf.data()) == nullptr) return {};
    return decode::InterfaceName::from(std::string_view(buf.data()));
}

}  // namespace

decode::InterfaceName InterfaceNames::name(std::uint32_t ifindex) noexcept {
    if (ifindex == 0) return {};
    if (ifindex >= kCached) return resolve(ifindex);
    std::lock_guard lock(mutex_);
    Entry& entry = cache_[ifindex];
    if (!entry.known) {
        entry.name = resolve(ifindex);
        entry.known = !entry.name.empty();
    }
    return entry.name;
}

void InterfaceNames::clear() noexcept {
    std::lock_guard lock(mutex_);
    for (Entry& e : cache_) e.known = false;
}

}  // namespace icmpgate::nfq
