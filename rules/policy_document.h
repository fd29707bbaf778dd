#pragma once
// A policy as its file states it, after every key and value was checked (rules/policy_reader.h)
// and before compilation (rules/policy_compiler.h): plain values, no bitsets. Names the
// compiler needs resolved are resolved (what an ICMP name means in each family, protocol
// numbers, parsed prefixes, ports and interface patterns); limiter names are still names.
// Every part remembers its JSON Pointer, so later stages (protection analysis, linter) can
// point at it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "filter/decode/anomaly.h"
#include "filter/decode/icmp_catalogue.h"
#include "rules/compiled_policy.h"

namespace icmpgate::rules {

inline constexpr int kPolicyVersion = 1;

// One entry of a "type" or "code" list: a name, with what it means in each family where it
// exists, or a number (of the rule's one family: the reader refuses numbers without "family").
struct IcmpValue {
    std::string pointer;  // where it was written
    std::string name;     // as written; empty for a number
    std::uint8_t number{0};
    // By family_index(): the (type, code) the name stands for (code 0 for a type name).
    std::array<std::optional<decode::IcmpTypeCode>, 2> meaning;

    [[nodiscard]] bool is_number() const noexcept { return name.empty(); }
};

// The quoted packet's conditions ("embedded"); an absent key is nullopt.
struct EmbeddedDocument {
    std::optional<std::vector<std::uint8_t>> protocols;
    std::optional<std::vector<Prefix>> source;
    std::optional<std::vector<Prefix>> destination;
    std::optional<std::vector<PortRange>> source_port;
    std::optional<std::vector<PortRange>> destination_port;
};

// A rule's "match"; an absent key is nullopt (it holds for every packet).
struct MatchDocument {
    std::optional<decode::Family> family;
    std::optional<std::vector<IcmpValue>> types;
    std::optional<std::vector<IcmpValue>> codes;
    std::optional<std::vector<Prefix>> source;
    std::optional<std::vector<Prefix>> destination;
    std::optional<std::vector<InterfacePattern>> in_interface;
    std::optional<std::vector<InterfacePattern>> out_interface;
    std::optional<std::uint32_t> payload_min;
    std::optional<std::uint32_t> payload_max;
    std::optional<EmbeddedDocument> embedded;
};

struct LimiterDocument {
    LimiterSpec spec;
    std::string pointer;  // "/rate_limits/<name>"
};

struct RuleDocument {
    std::string id;
    std::string pointer;  // "/rules/<index>"
    std::optional<std::uint32_t> sid;
    std::string description;
    MatchDocument match;
    Verdict verdict{Verdict::drop};
    std::vector<std::string> rate_limits;  // limiter names, in the order given
    bool log{true};
    bool override_protection{false};
    RuleMode mode{RuleMode::enforce};
};

struct PolicyDocument {
    std::string description;
    Verdict default_verdict{Verdict::drop};
    // Overrides of the anomaly table's defaults; nullopt = table default.
    std::array<std::optional<decode::AnomalyAction>, decode::kAnomalyCount> anomalies{};
    std::vector<LimiterDocument> limiters;  // document order; only limiters read without error
    std::vector<RuleDocument> rules;        // policy order; only rules read without error
};

}  // namespace icmpgate::rules
