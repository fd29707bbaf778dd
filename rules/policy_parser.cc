#include "rules/policy_parser.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "filter/decode/anomaly.h"
#include "filter/decode/icmp_catalogue.h"
#include "filter/decode/packet_meta.h"
#include "rules/cidr.h"
#include "rules/name_suggestion.h"
#include "rules/port_range.h"

namespace icmpgate::rules {
namespace {

using decode::Family;
using Json = PolicyJson;

constexpr std::size_t kTypeCount = 256;
constexpr std::size_t kIdMaxLength = 64;
constexpr std::size_t kLimiterNameMaxLength = 64;
constexpr double kRateMax = 1e9;
constexpr std::int64_t kBurstMax = 1'000'000;
constexpr std::int64_t kMaxEntriesMax = 16'777'216;
constexpr std::int64_t kSidMax = 4'294'967'295;
constexpr std::int64_t kByteMax = 255;
constexpr std::array<Family, 2> kFamilies{Family::ipv4, Family::ipv6};

constexpr std::array<std::string_view, 7> kTopKeys{"$schema",     "version", "description", "default_verdict",
                                                   "anomalies",   "rate_limits", "rules"};
constexpr std::array<std::string_view, 6> kLimiterKeys{"rate",      "burst",     "per",
                                                       "prefix_v4", "prefix_v6", "max_entries"};
constexpr std::array<std::string_view, 8> kRuleKeys{"id",  "description", "match", "verdict", "rate_limit",
                                                     "log", "override_protection", "sid"};
constexpr std::array<std::string_view, 9> kMatchKeys{"family",       "type",          "code",
                                                     "source",       "destination",   "in_interface",
                                                     "out_interface", "payload_size", "embedded"};
constexpr std::array<std::string_view, 2> kPayloadKeys{"min", "max"};
constexpr std::array<std::string_view, 5> kEmbeddedKeys{"protocol", "source", "destination", "source_port",
                                                        "destination_port"};
constexpr std::array<std::string_view, 2> kVerdictNames{"accept", "drop"};
constexpr std::array<std::string_view, 2> kFamilyNames{"ipv4", "ipv6"};
constexpr std::array<std::string_view, 3> kScopeNames{"global", "source", "destination"};

struct ProtocolName {
    std::string_view name;
    std::uint8_t number;
};
// IANA protocol numbers of what an ICMP error may quote.
constexpr auto kProtocolNames = std::to_array<ProtocolName>({
    {"icmp", 1},
    {"tcp", 6},
    {"udp", 17},
    {"dccp", 33},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"ipv6-icmp", 58},
    {"icmpv6", 58},
    {"sctp", 132},
    {"udplite", 136},
});

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }
std::string key_quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string describe(const Json& v) {
    switch (v.type()) {
    case Json::value_t::null:
        return "null";
    case Json::value_t::boolean:
        return v.get<bool>() ? "boolean true" : "boolean false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        return "number " + v.dump();
    case Json::value_t::string:
        return "string " + quote(v.get_ref<const std::string&>());
    case Json::value_t::array:
        return "an array";
    case Json::value_t::object:
        return "an object";
    default:
        return "a binary value";
    }
}

std::string suggest(std::string_view wrong, std::span<const std::string_view> candidates, bool as_key = false) {
    const std::optional<std::string_view> best = nearest_name(wrong, candidates);
    if (!best) return {};
    return "; did you mean " + (as_key ? key_quote(*best) : quote(*best)) + "?";
}

std::string family_label(Family f) { return f == Family::ipv4 ? "ICMPv4" : "ICMPv6"; }

bool valid_rule_id(std::string_view id) {
    if (id.empty() || id.size() > kIdMaxLength) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == ':' || c == '-';
    });
}

bool valid_limiter_name(std::string_view name) {
    if (name.empty() || name.size() > kLimiterNameMaxLength) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
    });
}

// Linux dev_valid_name(): not empty, not "." or "..", no '/', ':' or whitespace.
bool valid_interface_name(std::string_view name) {
    if (name == "." || name == "..") return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    });
}

std::vector<std::string_view> type_names_in(std::span<const Family> families) {
    std::vector<std::string_view> out;
    for (const decode::IcmpTypeName& row : decode::icmp_type_names())
        if (std::find(families.begin(), families.end(), row.family) != families.end()) out.push_back(row.name);
    return out;
}

std::vector<std::string_view> code_names_in(std::span<const Family> families) {
    std::vector<std::string_view> out;
    for (const decode::IcmpCodeName& row : decode::icmp_code_names())
        if (std::find(families.begin(), families.end(), row.family) != families.end()) out.push_back(row.name);
    return out;
}

bool is_code_name_anywhere(std::string_view name) {
    return std::any_of(kFamilies.begin(), kFamilies.end(),
                       [&](Family f) { return decode::icmp_code_from_name(f, name).has_value(); });
}

bool is_type_name_anywhere(std::string_view name) {
    return std::any_of(kFamilies.begin(), kFamilies.end(),
                       [&](Family f) { return decode::icmp_type_from_name(f, name).has_value(); });
}

struct TypeRefs {
    bool given{false};
    std::array<std::bitset<kTypeCount>, 2> types;
};

struct CodeNameRef {
    std::string name;
    std::string pointer;
    std::array<std::optional<decode::IcmpTypeCode>, 2> resolved;  // by family_index
};

struct CodeRefs {
    bool given{false};
    std::vector<CodeNameRef> names;
    std::array<std::bitset<kTypeCount>, 2> numeric;
};

class Parser {
public:
    explicit Parser(DiagnosticSink& sink) : sink_(sink) {}

    PolicyDocument run(const Json& root) {
        PolicyDocument doc;
        if (!root.is_object()) {
            error("", "expected an object, got " + describe(root));
            return doc;
        }
        check_keys(root, "", kTopKeys);
        if (!root.contains("version")) {
            error("", "missing required key \"version\"");
        } else if (std::optional<std::int64_t> version = integer(root["version"], "/version")) {
            if (*version != kPolicyVersion)
                error("/version", "unsupported version " + std::to_string(*version) + "; this icmpgate reads version 1");
        }
        if (root.contains("$schema")) (void)string(root["$schema"], "/$schema");
        if (root.contains("description")) {
            if (const std::string* s = string(root["description"], "/description")) doc.description = *s;
        }
        if (root.contains("default_verdict")) {
            if (std::optional<Verdict> v = verdict(root["default_verdict"], "/default_verdict"))
                doc.default_verdict = *v;
        }
        if (root.contains("anomalies")) parse_anomalies(root["anomalies"], doc);
        if (root.contains("rate_limits")) parse_limiters(root["rate_limits"], doc);
        if (root.contains("rules")) parse_rules(root["rules"], doc);
        return doc;
    }

private:
    // ---- reporting -------------------------------------------------------------------
    void error(const std::string& pointer, std::string message) {
        sink_.error(pointer, std::move(message), rule_id_);
    }

    // ---- generic value checks ----------------------------------------------------------
    void check_keys(const Json& object, const std::string& pointer, std::span<const std::string_view> allowed) {
        for (const auto& [key, value] : object.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            error(pointer_child(pointer, key), "unknown key " + key_quote(key) + suggest(key, allowed, true));
        }
    }

    bool object(const Json& v, const std::string& pointer) {
        if (v.is_object()) return true;
        error(pointer, "expected an object, got " + describe(v));
        return false;
    }

    const std::string* string(const Json& v, const std::string& pointer) {
        if (v.is_string()) return &v.get_ref<const std::string&>();
        error(pointer, "expected a string, got " + describe(v));
        return nullptr;
    }

    std::optional<bool> boolean(const Json& v, const std::string& pointer) {
        if (v.is_boolean()) return v.get<bool>();
        error(pointer, "expected a boolean, got " + describe(v));
        return std::nullopt;
    }

    // Any integer that fits int64 (larger ones are reported as out of range by callers via
    // integer_in); a non-integer is a type error.
    std::optional<std::int64_t> integer(const Json& v, const std::string& pointer) {
        if (!v.is_number_integer()) {
            error(pointer, "expected an integer, got " + describe(v));
            return std::nullopt;
        }
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            return INT64_MAX;
        return v.get<std::int64_t>();
    }

    std::optional<std::int64_t> integer_in(const Json& v, const std::string& pointer, std::string_view noun,
                                           std::int64_t low, std::int64_t high) {
        const std::optional<std::int64_t> value = integer(v, pointer);
        if (!value) return std::nullopt;
        if (*value < low || *value > high) {
            error(pointer, std::string(noun) + " " + v.dump() + " is out of range " + std::to_string(low) + ".." +
                               std::to_string(high));
            return std::nullopt;
        }
        return value;
    }

    // A string that must be one of `names`.
    std::optional<std::size_t> choice(const Json& v, const std::string& pointer, std::string_view noun,
                                      std::span<const std::string_view> names) {
        const std::string* s = string(v, pointer);
        if (s == nullptr) return std::nullopt;
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == *s) return i;
        std::string message = "unknown " + std::string(noun) + " " + quote(*s);
        std::string hint = suggest(*s, names);
        if (hint.empty()) {
            hint = "; expected ";
            for (std::size_t i = 0; i < names.size(); ++i) {
                if (i > 0) hint += i + 1 == names.size() ? " or " : ", ";
                hint += quote(names[i]);
            }
        }
        error(pointer, message + hint);
        return std::nullopt;
    }

    std::optional<Verdict> verdict(const Json& v, const std::string& pointer) {
        const std::optional<std::size_t> i = choice(v, pointer, "verdict", kVerdictNames);
        if (!i) return std::nullopt;
        return *i == 0 ? Verdict::accept : Verdict::drop;
    }

    // Calls fn(item, pointer) for a single value or for each element of a list.
    template <typename Fn>
    void for_each_item(const Json& v, const std::string& pointer, Fn&& fn) {
        if (!v.is_array()) {
            fn(v, pointer);
            return;
        }
        if (v.empty()) {
            error(pointer, "an empty list matches nothing");
            return;
        }
        for (std::size_t i = 0; i < v.size(); ++i) fn(v[i], pointer_child(pointer, i));
    }

    // ---- top level ---------------------------------------------------------------------
    void parse_anomalies(const Json& v, PolicyDocument& doc) {
        if (!object(v, "/anomalies")) return;
        std::vector<std::string_view> names;
        for (const decode::AnomalyInfo& info : decode::kAnomalies) names.push_back(info.name);
        constexpr std::array<std::string_view, 2> kActions{"drop", "accept"};
        for (const auto& [key, value] : v.items()) {
            const std::string pointer = pointer_child("/anomalies", key);
            const std::optional<decode::Anomaly> anomaly = decode::anomaly_from_name(key);
            if (!anomaly) {
                error(pointer, "unknown anomaly " + quote(key) + suggest(key, names));
                continue;
            }
            const std::optional<std::size_t> action = choice(value, pointer, "anomaly action", kActions);
            if (!action) continue;
            doc.anomalies[static_cast<std::size_t>(*anomaly)] =
                *action == 0 ? decode::AnomalyAction::drop : decode::AnomalyAction::accept;
        }
    }

    void parse_limiters(const Json& v, PolicyDocument& doc) {
        if (!object(v, "/rate_limits")) return;
        for (const auto& [name, value] : v.items()) {
            const std::string pointer = pointer_child("/rate_limits", name);
            const std::size_t errors_before = sink_.error_count();
            if (!valid_limiter_name(name)) {
                error(pointer, quote(name) +
                                   " is not a valid rate limit name: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
            }
            if (!object(value, pointer)) continue;
            check_keys(value, pointer, kLimiterKeys);
            LimiterDocument limiter;
            limiter.pointer = pointer;
            limiter.spec.name = name;
            if (!value.contains("rate")) {
                error(pointer, "missing required key \"rate\"");
            } else if (const Json& rate = value["rate"]; !rate.is_number()) {
                error(pointer_child(pointer, "rate"), "expected a number, got " + describe(rate));
            } else if (const double r = rate.get<double>(); !(r > 0) || r > kRateMax) {
                error(pointer_child(pointer, "rate"),
                      "rate " + rate.dump() + " is out of range: it must be above 0 and at most 1000000000");
            } else {
                limiter.spec.rate = r;
            }
            if (!value.contains("burst")) {
                error(pointer, "missing required key \"burst\"");
            } else if (auto burst = integer_in(value["burst"], pointer_child(pointer, "burst"), "burst", 1, kBurstMax)) {
                limiter.spec.burst = static_cast<std::uint32_t>(*burst);
            }
            if (value.contains("per")) {
                if (auto per = choice(value["per"], pointer_child(pointer, "per"), "scope", kScopeNames))
                    limiter.spec.per = static_cast<LimiterScope>(*per);
            }
            if (value.contains("prefix_v4")) {
                if (auto p = integer_in(value["prefix_v4"], pointer_child(pointer, "prefix_v4"), "prefix_v4", 0,
                                        kIpv4PrefixMax))
                    limiter.spec.prefix_v4 = static_cast<std::uint8_t>(*p);
            }
            if (value.contains("prefix_v6")) {
                if (auto p = integer_in(value["prefix_v6"], pointer_child(pointer, "prefix_v6"), "prefix_v6", 0,
                                        kIpv6PrefixMax))
                    limiter.spec.prefix_v6 = static_cast<std::uint8_t>(*p);
            }
            if (value.contains("max_entries")) {
                if (auto m = integer_in(value["max_entries"], pointer_child(pointer, "max_entries"), "max_entries", 1,
                                        kMaxEntriesMax))
                    limiter.spec.max_entries = static_cast<std::uint32_t>(*m);
            }
            if (limiter.spec.per == LimiterScope::global) {
                for (std::string_view key : {"prefix_v4", "prefix_v6", "max_entries"}) {
                    if (!value.contains(key)) continue;
                    sink_.warning(pointer_child(pointer, key), key_quote(key) +
                                                                  " has no effect on a global rate limit; did you mean "
                                                                  "to set \"per\": \"source\"?");
                }
            }
            // Keep the name known even when a field was wrong, so rules naming it get no
            // second, misleading "unknown rate limit" error.
            limiter_names_.push_back(name);
            if (sink_.error_count() == errors_before) doc.limiters.push_back(std::move(limiter));
        }
    }

    void parse_rules(const Json& v, PolicyDocument& doc) {
        if (!v.is_array()) {
            error("/rules", "expected an array, got " + describe(v));
            return;
        }
        std::vector<std::pair<std::string, std::string>> seen_ids;  // id, pointer
        for (std::size_t i = 0; i < v.size(); ++i) {
            sink_.enter_rule(i);
            const std::size_t errors_before = sink_.error_count();
            RuleDocument rule;
            rule.pointer = pointer_child("/rules", i);
            if (parse_rule(v[i], rule, seen_ids) && sink_.error_count() == errors_before)
                doc.rules.push_back(std::move(rule));
            rule_id_.reset();
            sink_.leave_rule();
        }
    }

    bool parse_rule(const Json& v, RuleDocument& rule, std::vector<std::pair<std::string, std::string>>& seen_ids) {
        const std::string& pointer = rule.pointer;
        if (!object(v, pointer)) return false;
        if (!v.contains("id")) {
            error(pointer, "missing required key \"id\"");
        } else if (const std::string* id = string(v["id"], pointer_child(pointer, "id"))) {
            if (!valid_rule_id(*id)) {
                error(pointer_child(pointer, "id"),
                      quote(*id) + " is not a valid rule id: use 1 to 64 characters from A-Z a-z 0-9 . _ : -");
            } else {
                rule_id_ = *id;
                rule.id = *id;
                const auto it = std::find_if(seen_ids.begin(), seen_ids.end(),
                                             [&](const auto& entry) { return entry.first == *id; });
                if (it != seen_ids.end()) {
                    error(pointer_child(pointer, "id"), "duplicate rule id " + quote(*id) + " (first used at " +
                                                            it->second + ")");
                } else {
                    seen_ids.emplace_back(*id, pointer);
                }
            }
        }
        check_keys(v, pointer, kRuleKeys);
        if (v.contains("description")) {
            if (const std::string* s = string(v["description"], pointer_child(pointer, "description")))
                rule.description = *s;
        }
        if (v.contains("sid")) {
            if (auto sid = integer_in(v["sid"], pointer_child(pointer, "sid"), "sid", 1, kSidMax))
                rule.sid = static_cast<std::uint32_t>(*sid);
        }
        if (!v.contains("match")) {
            error(pointer, "missing required key \"match\"");
        } else {
            parse_match(v["match"], pointer_child(pointer, "match"), rule.match);
        }
        if (!v.contains("verdict")) {
            error(pointer, "missing required key \"verdict\"");
        } else if (std::optional<Verdict> verdict_value = verdict(v["verdict"], pointer_child(pointer, "verdict"))) {
            rule.verdict = *verdict_value;
        }
        if (v.contains("rate_limit")) parse_rule_limiters(v["rate_limit"], pointer_child(pointer, "rate_limit"), rule);
        if (v.contains("log")) {
            if (auto b = boolean(v["log"], pointer_child(pointer, "log"))) rule.log = *b;
        }
        if (v.contains("override_protection")) {
            if (auto b = boolean(v["override_protection"], pointer_child(pointer, "override_protection")))
                rule.override_protection = *b;
        }
        return true;
    }

    void parse_rule_limiters(const Json& v, const std::string& pointer, RuleDocument& rule) {
        if (v.is_array() && v.empty()) {
            error(pointer, "an empty list names no rate limit; leave \"rate_limit\" out instead");
            return;
        }
        for_each_item(v, pointer, [&](const Json& item, const std::string& item_pointer) {
            const std::string* name = string(item, item_pointer);
            if (name == nullptr) return;
            if (std::find(limiter_names_.begin(), limiter_names_.end(), *name) == limiter_names_.end()) {
                std::vector<std::string_view> candidates(limiter_names_.begin(), limiter_names_.end());
                const std::string hint =
                    limiter_names_.empty() ? "; \"rate_limits\" defines none" : suggest(*name, candidates);
                error(item_pointer, "unknown rate limit " + quote(*name) + hint);
                return;
            }
            if (std::find(rule.rate_limits.begin(), rule.rate_limits.end(), *name) != rule.rate_limits.end()) {
                error(item_pointer, "rate limit " + quote(*name) + " is listed twice");
                return;
            }
            rule.rate_limits.push_back(*name);
        });
    }

    // ---- match -------------------------------------------------------------------------
    void parse_match(const Json& v, const std::string& pointer, CompiledMatch& match) {
        if (!object(v, pointer)) return;
        const std::size_t errors_before = sink_.error_count();
        check_keys(v, pointer, kMatchKeys);

        std::vector<Family> families{Family::ipv4, Family::ipv6};
        bool family_known = true;  // false when "family" itself was wrong: no follow-on errors
        if (v.contains("family")) {
            const std::string family_pointer = pointer_child(pointer, "family");
            if (auto i = choice(v["family"], family_pointer, "family", kFamilyNames)) {
                families = {kFamilies[*i]};
            } else {
                family_known = false;
            }
        }

        TypeRefs types;
        CodeRefs codes;
        if (v.contains("type")) parse_types(v["type"], pointer_child(pointer, "type"), families, family_known, types);
        if (v.contains("code")) parse_codes(v["code"], pointer_child(pointer, "code"), families, family_known, codes);

        for (Family f : kFamilies) match.families[family_index(f)] = false;
        for (Family f : families) {
            const std::size_t fi = family_index(f);
            combine(types, codes, fi, match.type_code[fi]);
            match.families[fi] = !match.type_code[fi].empty();
        }
        if (types.given && codes.given) check_code_owners(types, codes, families);

        if (v.contains("source")) parse_prefixes(v["source"], pointer_child(pointer, "source"), match.source, match);
        if (v.contains("destination"))
            parse_prefixes(v["destination"], pointer_child(pointer, "destination"), match.destination, match);
        if (v.contains("in_interface"))
            parse_interfaces(v["in_interface"], pointer_child(pointer, "in_interface"), match.in_interface);
        if (v.contains("out_interface"))
            parse_interfaces(v["out_interface"], pointer_child(pointer, "out_interface"), match.out_interface);
        if (v.contains("payload_size")) parse_payload_size(v["payload_size"], pointer_child(pointer, "payload_size"), match);
        if (v.contains("embedded")) parse_embedded(v["embedded"], pointer_child(pointer, "embedded"), match);

        if (sink_.error_count() == errors_before && !match.families[0] && !match.families[1])
            error(pointer, "rule matches no packet");
    }

    void parse_types(const Json& v, const std::string& pointer, const std::vector<Family>& families, bool family_known,
                     TypeRefs& out) {
        out.given = true;
        for_each_item(v, pointer, [&](const Json& item, const std::string& item_pointer) {
            if (item.is_string()) {
                const std::string& name = item.get_ref<const std::string&>();
                bool found = false;
                for (Family f : families) {
                    if (auto type = decode::icmp_type_from_name(f, name)) {
                        out.types[family_index(f)].set(*type);
                        found = true;
                    }
                }
                if (found || !family_known) return;
                if (families.size() == 1 && is_type_name_anywhere(name)) {
                    error(item_pointer, "type " + quote(name) + " does not exist in " + family_label(families[0]));
                } else if (is_code_name_anywhere(name)) {
                    error(item_pointer, quote(name) + " is a code, not a type; list it under \"code\"");
                } else {
                    const std::vector<std::string_view> names = type_names_in(families);
                    error(item_pointer, "unknown ICMP type " + quote(name) + suggest(name, names));
                }
                return;
            }
            if (item.is_number_integer()) {
                const std::optional<std::int64_t> type = integer_in(item, item_pointer, "type", 0, kByteMax);
                if (!type) return;
                if (families.size() != 1) {
                    if (family_known)
                        error(item_pointer, "a numeric type needs \"family\": " + item.dump() +
                                                " means different messages in ICMPv4 and ICMPv6");
                    return;
                }
                out.types[family_index(families[0])].set(static_cast<std::size_t>(*type));
                return;
            }
            error(item_pointer, "expected a type name or number, got " + describe(item));
        });
    }

    void parse_codes(const Json& v, const std::string& pointer, const std::vector<Family>& families, bool family_known,
                     CodeRefs& out) {
        out.given = true;
        for_each_item(v, pointer, [&](const Json& item, const std::string& item_pointer) {
            if (item.is_string()) {
                const std::string& name = item.get_ref<const std::string&>();
                CodeNameRef ref{name, item_pointer, {}};
                bool found = false;
                for (Family f : families) {
                    if (auto tc = decode::icmp_code_from_name(f, name)) {
                        ref.resolved[family_index(f)] = tc;
                        found = true;
                    }
                }
                if (found) {
                    out.names.push_back(std::move(ref));
                    return;
                }
                if (!family_known) return;
                if (families.size() == 1 && is_code_name_anywhere(name)) {
                    error(item_pointer, "code " + quote(name) + " does not exist in " + family_label(families[0]));
                } else if (is_type_name_anywhere(name)) {
                    error(item_pointer, quote(name) + " is a type, not a code; list it under \"type\"");
                } else {
                    const std::vector<std::string_view> names = code_names_in(families);
                    error(item_pointer, "unknown ICMP code " + quote(name) + suggest(name, names));
                }
                return;
            }
            if (item.is_number_integer()) {
                const std::optional<std::int64_t> code = integer_in(item, item_pointer, "code", 0, kByteMax);
                if (!code) return;
                if (families.size() != 1) {
                    if (family_known)
                        error(item_pointer, "a numeric code needs \"family\": " + item.dump() +
                                                " means different messages in ICMPv4 and ICMPv6");
                    return;
                }
                out.numeric[family_index(families[0])].set(static_cast<std::size_t>(*code));
                return;
            }
            error(item_pointer, "expected a code name or number, got " + describe(item));
        });
    }

    static void add_restricted(TypeCodeSet& set, std::uint8_t type, const std::bitset<kTypeCount>& codes) {
        for (TypeCodeSet::Restricted& r : set.restricted) {
            if (r.type == type) {
                r.codes |= codes;
                return;
            }
        }
        set.restricted.push_back({type, codes});
    }

    // The (type, code) pairs of one family (see docs/policy.md, "Name resolution").
    static void combine(const TypeRefs& types, const CodeRefs& codes, std::size_t fi, TypeCodeSet& out) {
        if (!types.given && !codes.given) {
            out.all_codes.set();
            return;
        }
        if (!codes.given) {
            out.all_codes = types.types[fi];
            return;
        }
        if (!types.given) {
            out.codes_any_type = codes.numeric[fi];
            for (const CodeNameRef& ref : codes.names) {
                if (!ref.resolved[fi]) continue;
                std::bitset<kTypeCount> one;
                one.set(ref.resolved[fi]->code);
                add_restricted(out, ref.resolved[fi]->type, one);
            }
            return;
        }
        for (std::size_t t = 0; t < kTypeCount; ++t) {
            if (!types.types[fi].test(t)) continue;
            std::bitset<kTypeCount> allowed = codes.numeric[fi];
            for (const CodeNameRef& ref : codes.names)
                if (ref.resolved[fi] && ref.resolved[fi]->type == t) allowed.set(ref.resolved[fi]->code);
            if (allowed.any()) add_restricted(out, static_cast<std::uint8_t>(t), allowed);
        }
    }

    void check_code_owners(const TypeRefs& types, const CodeRefs& codes, const std::vector<Family>& families) {
        for (const CodeNameRef& ref : codes.names) {
            bool owned = false;
            std::optional<Family> owner_family;
            for (Family f : families) {
                const auto& tc = ref.resolved[family_index(f)];
                if (!tc) continue;
                if (!owner_family) owner_family = f;
                owned = owned || types.types[family_index(f)].test(tc->type);
            }
            if (owned || !owner_family) continue;
            const decode::IcmpTypeCode tc = *ref.resolved[family_index(*owner_family)];
            error(ref.pointer, "code " + quote(ref.name) + " is a code of " +
                                   std::string(decode::icmp_type_name(*owner_family, tc.type)) +
                                   ", which this rule does not match");
        }
    }

    // A CIDR list; a family with no prefix in it cannot match the rule.
    void parse_prefixes(const Json& v, const std::string& pointer, PrefixList& out, CompiledMatch& match) {
        const std::size_t errors_before = sink_.error_count();
        out.any = false;
        for_each_item(v, pointer, [&](const Json& item, const std::string& item_pointer) {
            const std::string* text = string(item, item_pointer);
            if (text == nullptr) return;
            std::variant<Prefix, std::string> parsed = parse_cidr(*text);
            if (auto* message = std::get_if<std::string>(&parsed)) {
                error(item_pointer, std::move(*message));
                return;
            }
            const Prefix& prefix = std::get<Prefix>(parsed);
            (prefix.address.family == Family::ipv4 ? out.v4 : out.v6).push_back(prefix);
        });
        if (sink_.error_count() != errors_before) return;
        if (out.v4.empty()) match.families[family_index(Family::ipv4)] = false;
        if (out.v6.empty()) match.families[family_index(Family::ipv6)] = false;
    }

    void parse_interfaces(const Json& v, const std::string& pointer, InterfaceSet& out) {
        out.any = false;
        for_each_item(v, pointer, [&](const Json& item, const std::string& item_pointer) {
            const std::string* text = string(item, item_pointer);
            if (text == nullptr) return;
            if (text->empty()) {
                error(item_pointer, "an interface name cannot be empty");
                return;
            }
            if (text->size() > decode::kInterfaceNameMax) {
                error(item_pointer, quote(*text) + " is longer than 15 characters");
                return;
            }
            const bool prefix = text->back() == '+';
            const std::string_view name = prefix ? std::string_view(*text).substr(0, text->size() - 1)
                                                 : std::string_view(*text);
            if (!valid_interface_name(name) || name.find('+') != std::string_view::npos) {
                error(item_pointer, quote(*text) + " is not a valid interface name");
                return;
            }
            out.patterns.push_back({decode::InterfaceName::from(name), prefix});
        });
    }

    void parse_payload_size(const Json& v, const std::string& pointer, CompiledMatch& match) {
        if (!object(v, pointer)) return;
        check_keys(v, pointer, kPayloadKeys);
        constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
        std::optional<std::int64_t> low;
        std::optional<std::int64_t> high;
        if (v.contains("min")) low = integer_in(v["min"], pointer_child(pointer, "min"), "min", 0, kMax);
        if (v.contains("max")) high = integer_in(v["max"], pointer_child(pointer, "max"), "max", 0, kMax);
        if (low && high && *low > *high) {
            error(pointer, "min " + std::to_string(*low) + " is greater than max " + std::to_string(*high));
            return;
        }
        if (low) match.payload_min = static_cast<std::uint32_t>(*low);
        if (high) match.payload_max = static_cast<std::uint32_t>(*high);
    }

    void parse_ports(const Json& v, const std::string& pointer, PortSet& out) {
        out.any = false;
        for_each_item(v, pointer, [&](const Json& item, const std::string& item_pointer) {
            if (item.is_number_integer()) {
                if (auto port = integer_in(item, item_pointer, "port", 0, kPortMax)) {
                    const auto p = static_cast<std::uint16_t>(*port);
                    out.ranges.push_back({p, p});
                }
                return;
            }
            if (!item.is_string()) {
                error(item_pointer, "expected a port number or a \"first-last\" string, got " + describe(item));
                return;
            }
            std::variant<PortRange, std::string> parsed = parse_port_range(item.get_ref<const std::string&>());
            if (auto* message = std::get_if<std::string>(&parsed)) {
                error(item_pointer, std::move(*message));
                return;
            }
            out.ranges.push_back(std::get<PortRange>(parsed));
        });
    }

    void parse_embedded(const Json& v, const std::string& pointer, CompiledMatch& match) {
        if (!object(v, pointer)) return;
        check_keys(v, pointer, kEmbeddedKeys);
        EmbeddedMatch& embedded = match.embedded;
        embedded.present = true;
        if (v.contains("protocol")) {
            embedded.any_protocol = false;
            const std::string protocol_pointer = pointer_child(pointer, "protocol");
            for_each_item(v["protocol"], protocol_pointer, [&](const Json& item, const std::string& item_pointer) {
                if (item.is_number_integer()) {
                    if (auto n = integer_in(item, item_pointer, "protocol", 0, kByteMax))
                        embedded.protocols.set(static_cast<std::size_t>(*n));
                    return;
                }
                if (!item.is_string()) {
                    error(item_pointer, "expected a protocol name or number, got " + describe(item));
                    return;
                }
                const std::string& name = item.get_ref<const std::string&>();
                for (const ProtocolName& p : kProtocolNames) {
                    if (p.name == name) {
                        embedded.protocols.set(p.number);
                        return;
                    }
                }
                std::vector<std::string_view> names;
                for (const ProtocolName& p : kProtocolNames) names.push_back(p.name);
                error(item_pointer, "unknown protocol " + quote(name) + suggest(name, names));
            });
        }
        // The quote has the family of the packet carrying it, so these restrict the rule too.
        if (v.contains("source")) parse_prefixes(v["source"], pointer_child(pointer, "source"), embedded.source, match);
        if (v.contains("destination"))
            parse_prefixes(v["destination"], pointer_child(pointer, "destination"), embedded.destination, match);
        if (v.contains("source_port")) parse_ports(v["source_port"], pointer_child(pointer, "source_port"), embedded.source_port);
        if (v.contains("destination_port"))
            parse_ports(v["destination_port"], pointer_child(pointer, "destination_port"), embedded.destination_port);
    }

    DiagnosticSink& sink_;
    std::optional<std::string> rule_id_;
    std::vector<std::string> limiter_names_;
};

}  // namespace

PolicyDocument parse_policy_document(const PolicyJson& root, DiagnosticSink& sink) {
    return Parser(sink).run(root);
}

}  // namespace icmpgate::rules
