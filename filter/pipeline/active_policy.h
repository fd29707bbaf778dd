#pragma once
// The policy a pipeline decides with: the compiled policy, its limiter state and its per-rule hit
// counters. The daemon replaces it whole on reload (an atomic shared_ptr swap, ActivePolicyHandle),
// so a queue thread sees either the old or the new policy for a whole batch, never a mix; replay
// builds one per capture.

#include <atomic>
#include <cstdint>
#include <memory>

#include "rules/compiled_policy.h"
#include "rules/rate_limiter.h"

namespace icmpgate::pipeline {

struct ActivePolicy {
    // `hash_seed` seeds the limiter tables' hash (rate_limiter.h): random per daemon run, 0 in replay.
    ActivePolicy(std::shared_ptr<const rules::CompiledPolicy> compiled, std::uint64_t hash_seed)
        : policy{std::move(compiled)},
          limiters{policy->limiters, hash_seed},
          rule_hits{std::make_unique<std::atomic<std::uint64_t>[]>(policy->rules.size())} {}

    std::shared_ptr<const rules::CompiledPolicy> policy;
    rules::LimiterState limiters;                             // shared by every queue thread (it locks internally)
    std::unique_ptr<std::atomic<std::uint64_t>[]> rule_hits;  // shared: incremented atomically
};

using ActivePolicyHandle = std::atomic<std::shared_ptr<ActivePolicy>>;

}  // namespace icmpgate::pipeline
