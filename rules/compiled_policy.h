#pragma once
// A validated policy compiled into flat data for the matcher: bitsets, prefix arrays and
// limiter indices. Built once off the hot path (rules/policy_compiler.cc); read-only after.
// Nothing in here is looked up by name per packet.

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filter/decode/anomaly.h"
#include "filter/decode/family.h"
#include "filter/decode/ip_address.h"
#include "filter/decode/packet_meta.h"
#include "rules/candidate_index.h"

namespace icmpgate::rules {

enum class Verdict : std::uint8_t { accept, drop };

// A rule's "mode": an enforced rule decides; a monitor rule that matches only records what it
// would have decided, and evaluation goes on to the next rules (docs/policy.md, "Monitor mode").
enum class RuleMode : std::uint8_t { enforce, monitor };

using LimiterIndex = std::uint32_t;

using decode::family_index;

// An address prefix; address bits past `length` are zero.
struct Prefix {
    decode::IpAddress address;
    std::uint8_t length{0};
};

// A CIDR list from the policy. `any` when the key was absent.
struct PrefixList {
    bool any{true};
    std::vector<Prefix> v4;
    std::vector<Prefix> v6;
};

struct PortRange {
    std::uint16_t first{0};
    std::uint16_t last{0};
};

struct PortSet {
    bool any{true};
    std::vector<PortRange> ranges;
};

// Interface names; a trailing '+' in the policy means "any name with this prefix" (iptables).
struct InterfacePattern {
    decode::InterfaceName name;
    bool prefix{false};
};

struct InterfaceSet {
    bool any{true};
    std::vector<InterfacePattern> patterns;
};

// The (type, code) pairs one rule matches in one family.
struct TypeCodeSet {
    std::bitset<256> all_codes;       // types matched whatever their code
    std::bitset<256> codes_any_type;  // numeric codes given without a type
    struct Restricted {
        std::uint8_t type{0};
        std::bitset<256> codes;
    };
    std::vector<Restricted> restricted;  // types matched only with some codes

    [[nodiscard]] bool matches(std::uint8_t type, std::uint8_t code) const noexcept {
        if (all_codes.test(type) || codes_any_type.test(code)) return true;
        for (const Restricted& r : restricted)
            if (r.type == type) return r.codes.test(code);
        return false;
    }
    [[nodiscard]] bool empty() const noexcept {
        return all_codes.none() && codes_any_type.none() && restricted.empty();
    }
};

// Payload size (bytes after the 8-byte ICMP header): min..max, both included.
struct PayloadRange {
    std::uint32_t min{0};
    std::uint32_t max{UINT32_MAX};
};

// The quoted upper-layer protocol. `any` when the key was absent.
struct ProtocolSet {
    bool any{true};
    std::bitset<256> protocols;
};

// Conditions besides family, type and code. Each kind answers, in rules/match_analysis.h,
// whether it admits every message of a class and whether it admits some; the analyses visit
// them through for_each_condition(), never member by member, so a condition added here and
// listed there cannot be missed by the protection analysis. A member added and not listed
// fails the static_assert in rules/match_analysis.cc.
struct EmbeddedMatch {
    bool present{false};  // the rule has an "embedded" key: the packet needs a quote
    ProtocolSet protocol;
    PrefixList source;
    PrefixList destination;
    PortSet source_port;
    PortSet destination_port;

    static constexpr std::size_t kConditionCount = 5;
    template <typename Visit>
    void for_each_condition(Visit&& visit) const {
        visit(protocol);
        visit(source);
        visit(destination);
        visit(source_port);
        visit(destination_port);
    }
};

struct CompiledMatch {
    std::array<bool, 2> families{true, true};  // index by family_index()
    std::array<TypeCodeSet, 2> type_code;      // per family
    PrefixList source;
    PrefixList destination;
    InterfaceSet in_interface;
    InterfaceSet out_interface;
    PayloadRange payload;
    EmbeddedMatch embedded;

    // Every member but families and type_code (see EmbeddedMatch).
    static constexpr std::size_t kConditionCount = 6;
    template <typename Visit>
    void for_each_condition(Visit&& visit) const {
        visit(source);
        visit(destination);
        visit(in_interface);
        visit(out_interface);
        visit(payload);
        visit(embedded);
    }
};

struct CompiledRule {
    std::string id;
    std::optional<std::uint32_t> sid;  // the policy's numeric "sid", when given
    // EVE's alert.signature_id for this rule's alerts: sid, else derived from id
    // (rules/signature_id.h). Set by compile_policy.
    std::uint32_t signature_id{0};
    CompiledMatch match;
    Verdict verdict{Verdict::drop};
    std::vector<LimiterIndex> limiters;  // all must have a token
    bool log{true};
    bool override_protection{false};
    RuleMode mode{RuleMode::enforce};
};

// For each family (family_index()) and ICMP type, the rules that can match it, in policy order.
using CandidateLists = std::array<std::array<std::vector<RuleIndex>, 256>, 2>;

enum class LimiterScope : std::uint8_t { global, source, destination };

struct LimiterSpec {
    std::string name;
    double rate{0};          // tokens (packets) per second, > 0
    std::uint32_t burst{0};  // bucket size, >= 1; buckets start full
    LimiterScope per{LimiterScope::global};
    std::uint8_t prefix_v4{32};
    std::uint8_t prefix_v6{128};
    std::uint32_t max_entries{65536};

    friend bool operator==(const LimiterSpec&, const LimiterSpec&) = default;
};

struct CompiledPolicy {
    decode::AnomalyAction action_for(decode::Anomaly a) const noexcept {
        return anomaly_actions[static_cast<std::size_t>(a)];
    }

    Verdict default_verdict{Verdict::drop};
    std::array<decode::AnomalyAction, decode::kAnomalyCount> anomaly_actions{};
    std::vector<LimiterSpec> limiters;
    std::vector<CompiledRule> rules;
    CandidateLists candidates;
    // The long candidate lists split by address (built by the compiler; empty in a policy
    // built by hand, whose lists are then walked whole). rules/rule_matcher.h's
    // first_matching_rule() reads both.
    CandidateIndex candidate_index;
    std::string digest;       // "sha256:<hex>" of the policy file's bytes
    std::string source_name;  // the file it came from
    // Set by compile_policy when the digest and every rule id and limiter name are plain text
    // (is_plain_text below; the parser's character sets make them so, this checks rather than
    // assumes it): log lines then copy them without an escape scan. False in a policy built
    // by hand, whose names are escaped.
    bool names_are_plain{false};
};

// Printable ASCII other than the quote and the backslash: text a JSON string (RFC 8259 7)
// holds as it is.
// The log writer checks at compile time that it agrees with its own escape rule.
[[nodiscard]] constexpr bool is_plain_text(std::string_view text) noexcept {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7F || byte == '"' || byte == '\\') return false;
    }
    return true;
}

}  // namespace icmpgate::rules
