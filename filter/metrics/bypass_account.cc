#include "filter/metrics/bypass_account.h"

#include <algorithm>

namespace icmpgate::metrics {

void BypassAccount::observe(const QueueAccountingSample& sample) noexcept {
    if (!started_ || sample.rules_queued < last_rules_) {
        queued_offset_ = queued_;
        bypassed_offset_ = bypassed_;
        base_ = sample;
        last_rules_ = sample.rules_queued;
        started_ = true;
        return;
    }
    last_rules_ = sample.rules_queued;
    const std::uint64_t queued = sample.rules_queued - base_.rules_queued;
    const std::uint64_t handled_now = sample.received + sample.kernel_held;
    const std::uint64_t handled_base = base_.received + base_.kernel_held;
    const std::uint64_t handled = handled_now > handled_base ? handled_now - handled_base : 0;
    queued_ = queued_offset_ + queued;
    // "waiting" also holds packets already received and not yet verdicted, so `handled` can run
    // ahead for a moment: the difference is then too low, and max() keeps the counter monotonic.
    bypassed_ = std::max(bypassed_, bypassed_offset_ + (queued > handled ? queued - handled : 0));
}

}  // namespace icmpgate::metrics
