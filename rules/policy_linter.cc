#include "rules/policy_linter.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <string>
#include <vector>

#include "filter/decode/icmp_catalogue.h"
#include "filter/decode/icmp_types.h"
#include "rules/match_analysis.h"
#include "rules/set_bits.h"

namespace icmpgate::rules {
namespace {

using decode::Family;

// RFC 4443 2.4(f): traceroute sends 3 probes per hop, back to back, and each error it
// expects back passes the limiter in a burst.
constexpr std::uint32_t kTracerouteProbesPerHop = 3;

// The deprecated ICMPv4 types and the error types of each family, looked up in the catalogue
// once: a policy load lints every rule, and asking the catalogue for all 256 types per rule
// was most of the cost of loading a large policy.
const std::bitset<kIcmpValues>& deprecated_icmp4_types() {
    static const std::bitset<kIcmpValues> types = [] {
        std::bitset<kIcmpValues> found;
        for (std::size_t t = 0; t < kIcmpValues; ++t)
            if (decode::icmp_type_status(Family::ipv4, static_cast<std::uint8_t>(t)) == decode::TypeStatus::deprecated)
                found.set(t);
        return found;
    }();
    return types;
}

const std::bitset<kIcmpValues>& error_types(Family family) {
    static const std::array<std::bitset<kIcmpValues>, 2> types = [] {
        std::array<std::bitset<kIcmpValues>, 2> found{};
        for (Family f : {Family::ipv4, Family::ipv6})
            for (std::size_t t = 0; t < kIcmpValues; ++t)
                if (decode::is_error_type(f, static_cast<std::uint8_t>(t))) found[family_index(f)].set(t);
        return found;
    }();
    return types[family_index(family)];
}

std::string quote(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// "4, 6, 15-18, 30-39"
std::string compress_numbers(const std::vector<std::size_t>& numbers) {
    std::string out;
    for (std::size_t i = 0; i < numbers.size();) {
        std::size_t j = i;
        while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
        if (!out.empty()) out += ", ";
        out += std::to_string(numbers[i]);
        if (j > i) out += "-" + std::to_string(numbers[j]);
        i = j + 1;
    }
    return out;
}

struct RuleView {
    const RuleDocument* rule;
    const CompiledMatch* match;
    // Per family: the types the rule can match (none when the family cannot match).
    std::array<std::bitset<kIcmpValues>, 2> types;
    // Enforced, matched with no rate limit and no condition but family, type and code: the rule
    // decides every packet of its (type, code) pairs, so it can hide later rules. A monitor rule
    // decides nothing and hides nothing.
    bool always_decides;
};

// No condition besides family, type and code excludes a packet of either family, of any size,
// quoted or not.
bool unconditional(const CompiledMatch& match) {
    return is_unconditional(match, MessageClass{Family::ipv4}) && is_unconditional(match, MessageClass{Family::ipv6});
}

RuleView view_of(const RuleDocument& rule, const CompiledMatch& match) {
    RuleView view{
        &rule, &match, {}, rule.mode == RuleMode::enforce && rule.rate_limits.empty() && unconditional(match)};
    for (std::size_t fi = 0; fi < view.types.size(); ++fi)
        if (match.families[fi]) view.types[fi] = matched_types(match.type_code[fi]);
    return view;
}

bool matches_type(const RuleView& view, Family f, std::uint8_t type) {
    return view.types[family_index(f)].test(type);
}

bool matches_error_type(const RuleView& view) {
    for (Family f : {Family::ipv4, Family::ipv6})
        if ((view.types[family_index(f)] & error_types(f)).any()) return true;
    return false;
}

// Every packet `later` matches, `earlier` matches too, and nothing but family/type/code
// restricts `earlier`.
bool covers(const RuleView& earlier, const RuleView& later) {
    if (!earlier.always_decides) return false;
    for (std::size_t fi = 0; fi < 2; ++fi) {
        if (!later.match->families[fi]) continue;
        if (!earlier.match->families[fi]) return false;
        // A type only `later` can match rules it out without comparing codes (most pairs).
        if ((later.types[fi] & ~earlier.types[fi]).any()) return false;
        if (!is_subset(later.match->type_code[fi], earlier.match->type_code[fi])) return false;
    }
    return true;
}

void lint_rule(const RuleView& view, const PolicyDocument& document, DiagnosticSink& sink) {
    const RuleDocument& rule = *view.rule;
    const bool accepts = rule.verdict == Verdict::accept;

    if (accepts) {  // RFC 6633, RFC 6918: these types are deprecated, nothing legitimate sends them
        const std::bitset<kIcmpValues> matched = view.types[family_index(Family::ipv4)] & deprecated_icmp4_types();
        if (matched.any()) {
            std::vector<std::size_t> deprecated;
            for_each_set_bit(matched, [&](std::size_t type) { deprecated.push_back(type); });
            sink.warning(rule.pointer + "/match",
                         std::string("accepts deprecated ICMPv4 ") + (deprecated.size() == 1 ? "type " : "types ") +
                             compress_numbers(deprecated) + " (RFC 6633, RFC 6918)",
                         rule.id);
        }
    }

    // Unlimited echo from any source: a flood (or a Smurf amplifier's traffic) passes whole.
    if (accepts && rule.rate_limits.empty() && view.match->source.any &&
        (matches_type(view, Family::ipv4, decode::icmp4::kEchoRequest) ||
         matches_type(view, Family::ipv6, decode::icmp6::kEchoRequest))) {
        sink.warning(rule.pointer,
                     "accepts echo-request from any source with no rate limit (unlimited echo from anywhere)", rule.id);
    }

    if (!rule.rate_limits.empty() && rule.verdict == Verdict::drop) {
        sink.warning(rule.pointer + "/rate_limit",
                     "a drop rule drops whether or not a token is left, so \"rate_limit\" only spends tokens here",
                     rule.id);
    }

    if (!rule.rate_limits.empty() && matches_error_type(view)) {
        for (const std::string& name : rule.rate_limits) {
            const auto it = std::find_if(document.limiters.begin(), document.limiters.end(),
                                         [&](const LimiterDocument& l) { return l.spec.name == name; });
            if (it == document.limiters.end() || it->spec.burst >= kTracerouteProbesPerHop) continue;
            sink.warning(rule.pointer + "/rate_limit",
                         "rate limit " + quote(name) + " has burst " + std::to_string(it->spec.burst) +
                             " on error messages; traceroute sends 3 probes per hop, so use a burst of at least 3 "
                             "(RFC 4443 2.4(f))",
                         rule.id);
        }
    }
}

}  // namespace

void lint_policy(const PolicyDocument& document, std::span<const CompiledMatch> matches, bool complete,
                 DiagnosticSink& sink) {
    std::vector<RuleView> views;
    views.reserve(document.rules.size());
    for (std::size_t r = 0; r < document.rules.size(); ++r) views.push_back(view_of(document.rules[r], matches[r]));

    for (std::size_t r = 0; r < views.size(); ++r) {
        sink.enter_rule(r);
        lint_rule(views[r], document, sink);
        for (std::size_t e = 0; e < r; ++e) {
            if (!covers(views[e], views[r])) continue;
            sink.warning(views[r].rule->pointer,
                         "can never match: rule " + quote(views[e].rule->id) + " (" + views[e].rule->pointer +
                             ") matches every packet this rule matches and decides first",
                         views[r].rule->id);
            break;
        }
        sink.leave_rule();
    }

    if (!complete) return;
    for (const LimiterDocument& limiter : document.limiters) {
        const bool used = std::any_of(document.rules.begin(), document.rules.end(), [&](const RuleDocument& rule) {
            return std::find(rule.rate_limits.begin(), rule.rate_limits.end(), limiter.spec.name) !=
                   rule.rate_limits.end();
        });
        if (!used) sink.warning(limiter.pointer, "rate limit " + quote(limiter.spec.name) + " is not used by any rule");
    }
}

}  // namespace icmpgate::rules
