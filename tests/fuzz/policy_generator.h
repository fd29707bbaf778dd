#pragma once
// Valid policies built from fuzz input, using every key of the policy language (the key tables
// of rules/policy_keys.h: policy, rate limit, rule, match, payload_size, embedded), so decide()
// is fuzzed against rules that match on every condition and not only against default.json.
//
// Each kGenerated*Keys list names the keys generate_policy() writes for that object;
// tests/fuzz/policy_generator_test.cc checks every list against its key table, so a key added to
// a table fails that test until the generator writes it too. Values are drawn from small pools
// that stay valid together (docs/policy.md: names resolved per family, codes belonging to a type
// of the rule, a numeric type or code only with a family, address lists that leave the rule a
// family, override_protection on every rule that could drop, no limiter shared by a monitor rule
// and an enforced one), so a generated policy always loads:
// the fuzz body checks that too.

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "filter/decode/anomaly.h"
#include "tests/fuzz/fuzz_support.h"

namespace icmpgate::fuzz {

inline constexpr std::array<std::string_view, 7> kGeneratedPolicyKeys{
    "version", "$schema", "description", "default_verdict", "anomalies", "rate_limits", "rules"};
inline constexpr std::array<std::string_view, 6> kGeneratedLimiterKeys{"rate",      "burst",     "per",
                                                                       "prefix_v4", "prefix_v6", "max_entries"};
inline constexpr std::array<std::string_view, 9> kGeneratedRuleKeys{
    "id", "match", "verdict", "rate_limit", "mode", "log", "override_protection", "description", "sid"};
inline constexpr std::array<std::string_view, 9> kGeneratedMatchKeys{
    "family", "type", "code", "source", "destination", "in_interface", "out_interface", "payload_size", "embedded"};
inline constexpr std::array<std::string_view, 2> kGeneratedPayloadSizeKeys{"min", "max"};
inline constexpr std::array<std::string_view, 5> kGeneratedEmbeddedKeys{"protocol", "source", "destination",
                                                                        "source_port", "destination_port"};

namespace generator_detail {

using Json = nlohmann::json;

enum Family : std::uint8_t { kBoth, kV4, kV6 };

template <typename T, std::size_t N>
const T& pick(FuzzBytes& in, const std::array<T, N>& pool) {
    return pool[in.below(N)];
}

// One value, or a list of one to three distinct-or-not values (lists may repeat: the loader
// accepts repeated names and prefixes).
template <typename T, std::size_t N>
Json one_or_list(FuzzBytes& in, const std::array<T, N>& pool) {
    if (in.flag()) return Json(pick(in, pool));
    Json list = Json::array();
    const std::size_t n = 1 + in.below(3);
    for (std::size_t i = 0; i < n; ++i) list.push_back(pick(in, pool));
    return list;
}

// Address lists: with no family, every list holds both families (a list without one would take
// that family from the rule and, with another list, could leave it none: an error).
constexpr std::array<std::string_view, 4> kPrefixesV4{"192.0.2.0/24", "198.51.100.7", "0.0.0.0/0", "203.0.113.128/25"};
constexpr std::array<std::string_view, 4> kPrefixesV6{"2001:db8::/32", "2001:db8:1::10", "::/0", "2001:db8:ffff::/48"};

inline Json prefixes(FuzzBytes& in, Family family) {
    if (family == kV4) return one_or_list(in, kPrefixesV4);
    if (family == kV6) return one_or_list(in, kPrefixesV6);
    return Json::array({pick(in, kPrefixesV4), pick(in, kPrefixesV6)});
}

// Types and the codes that belong to them, per family setting. Names existing in one family
// only are fine without "family" (the rule then matches that family).
struct TypeChoice {
    std::string_view type;                  // a name, or a number as text ("3")
    std::array<std::string_view, 3> codes;  // codes of that type ("" = none); names or numbers
};
constexpr std::array<TypeChoice, 8> kTypesBoth{{
    {"echo-request", {}},
    {"echo-reply", {}},
    {"destination-unreachable", {"port-unreachable", "admin-prohibited", "frag-needed"}},
    {"time-exceeded", {"reassembly-timeout", "hop-limit-exceeded", "ttl-exceeded-in-transit"}},
    {"parameter-problem", {}},
    {"redirect", {}},
    {"timestamp-request", {}},
    {"packet-too-big", {}},
}};
constexpr std::array<TypeChoice, 8> kTypesV4{{
    {"destination-unreachable", {"frag-needed", "port-unreachable", "13"}},
    {"time-exceeded", {"ttl-exceeded-in-transit", "1", ""}},
    {"echo-request", {}},
    {"ping", {}},
    {"3", {"4", "3", "host-unreachable"}},
    {"11", {"0", "", ""}},
    {"40", {"bad-spi", "5", ""}},
    {"200", {"0", "", ""}},
}};
constexpr std::array<TypeChoice, 8> kTypesV6{{
    {"destination-unreachable", {"port-unreachable", "no-route", "8"}},
    {"packet-too-big", {}},
    {"time-exceeded", {"hop-limit-exceeded", "reassembly-timeout", ""}},
    {"echo-reply", {}},
    {"nd-neighbor-solicit", {}},
    {"2", {"0", "", ""}},
    {"4", {"unrecognized-next-header", "10", ""}},
    {"150", {"0", "", ""}},
}};

// A type or code as JSON: a number for numeric text.
inline Json name_or_number(std::string_view text) {
    if (!text.empty() && text.front() >= '0' && text.front() <= '9') return Json(std::stoi(std::string{text}));
    return Json(std::string{text});
}

// "type" and, sometimes, "code" of a match: 1-2 types, codes from the chosen types' own.
inline void types_and_codes(FuzzBytes& in, Family family, Json& match) {
    const auto& pool = family == kV4 ? kTypesV4 : family == kV6 ? kTypesV6 : kTypesBoth;
    Json types = Json::array();
    std::vector<std::string_view> codes;
    const std::size_t n = 1 + in.below(2);
    for (std::size_t i = 0; i < n; ++i) {
        const TypeChoice& choice = pool[in.below(pool.size())];
        types.push_back(name_or_number(choice.type));
        for (std::string_view code : choice.codes)
            if (!code.empty()) codes.push_back(code);
    }
    match["type"] = types.size() == 1 && in.flag() ? types[0] : types;
    if (!codes.empty() && in.flag()) match["code"] = name_or_number(codes[in.below(codes.size())]);
}

constexpr std::array<std::string_view, 5> kInterfaces{"eth0", "eth+", "+", "wg0", "lan0"};
constexpr std::array<std::int64_t, 6> kPayloadSizes{0, 8, 56, 64, 1472, 65535};
constexpr std::array<std::string_view, 7> kProtocols{"tcp", "udp", "icmp", "ipv6-icmp", "sctp", "esp", "udplite"};
constexpr std::array<std::string_view, 4> kPortRanges{"53", "1024-65535", "0-0", "33434-33534"};

inline Json ports(FuzzBytes& in) {
    if (in.flag()) return Json(static_cast<int>(in.below(3) == 0 ? 53 : in.u16()));
    Json list = Json::array();
    const std::size_t n = 1 + in.below(3);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string_view range = pick(in, kPortRanges);
        if (range.find('-') == std::string_view::npos)
            list.push_back(std::stoi(std::string{range}));
        else
            list.push_back(std::string{range});
    }
    return list;
}

inline Json match_of(FuzzBytes& in) {
    Json match = Json::object();
    const std::uint16_t keys = in.u16();  // which keys this rule's match has (bit i: kGeneratedMatchKeys[i])
    const auto has = [&](std::size_t i) { return (keys & (1U << i)) != 0; };
    Family family = kBoth;
    if (has(0)) {
        family = in.flag() ? kV4 : kV6;
        match["family"] = family == kV4 ? "ipv4" : "ipv6";
    }
    if (has(1)) types_and_codes(in, family, match);
    if (has(2) && !has(1)) {  // a code alone: a name (both families' port-unreachable), or a number with a family
        if (family == kBoth)
            match["code"] = in.flag() ? "port-unreachable" : "reassembly-timeout";
        else
            match["code"] = static_cast<int>(in.below(5));
    }
    if (has(3)) match["source"] = prefixes(in, family);
    if (has(4)) match["destination"] = prefixes(in, family);
    if (has(5)) match["in_interface"] = one_or_list(in, kInterfaces);
    if (has(6)) match["out_interface"] = one_or_list(in, kInterfaces);
    if (has(7)) {
        Json window = Json::object();
        const std::int64_t a = pick(in, kPayloadSizes);
        const std::int64_t b = pick(in, kPayloadSizes);
        switch (in.below(3)) {
            case 0:
                window["min"] = a;
                break;
            case 1:
                window["max"] = a;
                break;
            default:
                window["min"] = std::min(a, b);
                window["max"] = std::max(a, b);
                break;
        }
        match["payload_size"] = window;
    }
    if (has(8)) {
        Json quote = Json::object();
        const std::uint8_t parts = in.u8();
        if ((parts & 1U) != 0)
            quote["protocol"] = in.flag() ? Json(static_cast<int>(in.u8())) : one_or_list(in, kProtocols);
        if ((parts & 2U) != 0) quote["source"] = prefixes(in, family);
        if ((parts & 4U) != 0) quote["destination"] = prefixes(in, family);
        if ((parts & 8U) != 0) quote["source_port"] = ports(in);
        if ((parts & 16U) != 0) quote["destination_port"] = ports(in);
        match["embedded"] = quote;  // {} too: "the message must carry a quote that decodes"
    }
    return match;
}

constexpr std::array<double, 4> kRates{0.5, 1, 20, 1000};
constexpr std::array<std::int64_t, 4> kBursts{1, 2, 3, 40};
constexpr std::array<std::string_view, 3> kPer{"global", "source", "destination"};
constexpr std::array<std::int64_t, 3> kPrefixV4{0, 24, 32};
constexpr std::array<std::int64_t, 3> kPrefixV6{0, 64, 128};
constexpr std::array<std::int64_t, 3> kMaxEntries{1, 2, 64};  // small: eviction is reached

inline Json limiter_of(FuzzBytes& in) {
    Json limiter = {{"rate", pick(in, kRates)}, {"burst", pick(in, kBursts)}};
    const std::uint8_t keys = in.u8();
    if ((keys & 1U) != 0) limiter["per"] = pick(in, kPer);
    // On a global limiter these three are warnings, not errors: both are worth generating.
    if ((keys & 2U) != 0) limiter["prefix_v4"] = pick(in, kPrefixV4);
    if ((keys & 4U) != 0) limiter["prefix_v6"] = pick(in, kPrefixV6);
    if ((keys & 8U) != 0) limiter["max_entries"] = pick(in, kMaxEntries);
    return limiter;
}

}  // namespace generator_detail

// A valid policy text from fuzz input (1-6 rules, 0-3 limiters, anomaly actions).
inline std::string generate_policy(FuzzBytes& in) {
    using namespace generator_detail;
    Json policy = {{"version", 1}};
    const std::uint8_t top = in.u8();
    if ((top & 1U) != 0) policy["$schema"] = "/usr/share/icmpgate/policy.schema.json";
    if ((top & 2U) != 0) policy["description"] = "generated by tests/fuzz/policy_generator.h";
    if ((top & 4U) != 0) policy["default_verdict"] = (top & 8U) != 0 ? "accept" : "drop";
    if ((top & 16U) != 0) {
        Json anomalies = Json::object();
        for (const decode::AnomalyInfo& info : decode::kAnomalies)
            if (in.flag()) anomalies[std::string{info.name}] = in.flag() ? "accept" : "drop";
        policy["anomalies"] = anomalies;
    }
    std::vector<std::string> limiter_names;
    const std::size_t limiter_count = (top & 32U) != 0 ? 1 + in.below(3) : 0;
    if ((top & 32U) != 0) {
        Json limiters = Json::object();
        for (std::size_t i = 0; i < limiter_count; ++i) {
            limiter_names.push_back("limiter-" + std::to_string(i));
            limiters[limiter_names.back()] = limiter_of(in);
        }
        policy["rate_limits"] = limiters;
    }
    Json rules = Json::array();
    const std::size_t rule_count = 1 + in.below(6);
    for (std::size_t i = 0; i < rule_count; ++i) {
        Json rule = {{"id", "rule-" + std::to_string(i)}, {"match", match_of(in)}};
        const bool drop = in.flag();
        rule["verdict"] = drop ? "drop" : "accept";
        const std::uint8_t extras = in.u8();
        bool limited = false;
        if ((extras & 1U) != 0 && !limiter_names.empty()) {
            limited = true;
            if (in.flag()) {
                rule["rate_limit"] = limiter_names[in.below(limiter_names.size())];
            } else {  // a list of distinct names, in the order given
                Json names = Json::array();
                for (const std::string& name : limiter_names)
                    if (in.flag() || names.empty()) names.push_back(name);
                rule["rate_limit"] = names;
            }
        }
        // A monitor rule may not share a limiter with an enforced one (docs/policy.md): only
        // rules without a rate limit are generated in monitor mode.
        if ((extras & 32U) != 0) rule["mode"] = limited || in.flag() ? "enforce" : "monitor";
        if ((extras & 2U) != 0) rule["log"] = in.flag();
        // A rule that could drop a protected message needs the override (docs/policy.md); on one
        // that cannot, it is only a warning.
        if (drop || limited || (extras & 4U) != 0) rule["override_protection"] = drop || limited || in.flag();
        if ((extras & 8U) != 0) rule["description"] = "rule " + std::to_string(i);
        // Outside the derived range (1e9..2e9-1) and icmpgate's own block: never collides.
        if ((extras & 16U) != 0) rule["sid"] = 3000000000LL + static_cast<std::int64_t>(i);
        rules.push_back(rule);
    }
    policy["rules"] = rules;
    return policy.dump();
}

}  // namespace icmpgate::fuzz
