#pragma once
// The policy the queue threads are using: the compiled policy, its limiter state and its
// per-rule hit counters. Replaced whole on reload (an atomic shared_ptr swap), so a thread
// sees either the old or the new policy for a whole batch, never a mix.

#include <atomic>
#include <cstdint>
#include <memory>

#include "rules/compiled_policy.h"
#include "rules/rate_limiter.h"

namespace icmpgate::nfq {

struct ActivePolicy {
    ActivePolicy(std::shared_ptr<const rules::CompiledPolicy> compiled, std::uint64_t hash_seed)
        : policy{std::move(compiled)},
          limiters{policy->limiters, hash_seed},
          rule_hits{std::make_unique<std::atomic<std::uint64_t>[]>(policy->rules.size())} {}

    std::shared_ptr<const rules::CompiledPolicy> policy;
    rules::LimiterState limiters;  // shared by every queue thread (it locks internally)
    std::unique_ptr<std::atomic<std::uint64_t>[]> rule_hits;
};

using ActivePolicyHandle = std::atomic<std::shared_ptr<ActivePolicy>>;

}  // namespace icmpgate::nfq
