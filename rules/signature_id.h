#pragma once
// EVE's alert.signature_id for every alert (docs/log-format.md, "Signature ids"). A rule's
// alerts carry its "sid", or, when it has none, an id derived from its rule id, so the id
// stays the same across reloads and hosts. icmpgate's own signatures (each anomaly,
// protected, default, rate-limit, not-icmp; filter/log/builtin_signatures.h) have fixed ids in
// a block that policies may not use. check_signature_ids() makes every id in a policy unique.

#include <cstdint>
#include <optional>
#include <string_view>

namespace icmpgate::rules {

class DiagnosticSink;
struct PolicyDocument;

// Derived ids: kDerivedSidFirst + FNV-1a-32(rule id) mod kDerivedSidCount, so 1,000,000,000 to
// 1,999,999,999: above the ranges rule sets commonly use, below 2^31 for consumers that store
// the id as a signed 32-bit integer.
inline constexpr std::uint32_t kDerivedSidFirst = 1'000'000'000;
inline constexpr std::uint32_t kDerivedSidCount = 1'000'000'000;
// Reserved for icmpgate's own signatures; a policy "sid" in this block is an error.
inline constexpr std::uint32_t kBuiltinSidFirst = 2'000'000'000;
inline constexpr std::uint32_t kBuiltinSidLast = 2'000'000'999;

[[nodiscard]] constexpr bool is_builtin_signature_id(std::uint64_t id) noexcept {
    return id >= kBuiltinSidFirst && id <= kBuiltinSidLast;
}

// FNV-1a, 32 bits (offset basis 2166136261, prime 16777619), over the rule id's bytes.
[[nodiscard]] constexpr std::uint32_t fnv1a_32(std::string_view text) noexcept {
    constexpr std::uint32_t kOffsetBasis = 2'166'136'261U;
    constexpr std::uint32_t kPrime = 16'777'619U;
    std::uint32_t hash = kOffsetBasis;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= kPrime;
    }
    return hash;
}

[[nodiscard]] constexpr std::uint32_t derived_signature_id(std::string_view rule_id) noexcept {
    return kDerivedSidFirst + fnv1a_32(rule_id) % kDerivedSidCount;
}

// The id a rule's alerts carry: its sid, else the one derived from its id.
[[nodiscard]] constexpr std::uint32_t signature_id_of(std::optional<std::uint32_t> sid,
                                                      std::string_view rule_id) noexcept {
    return sid ? *sid : derived_signature_id(rule_id);
}

// Loader check, one error per conflict: a sid in the reserved block, a sid used twice, and a
// derived id equal to another rule's id (explicit or derived; the fix is a "sid" on one of
// them). Reported at the later rule, in document order.
void check_signature_ids(const PolicyDocument& document, DiagnosticSink& sink);

}  // namespace icmpgate::rules
