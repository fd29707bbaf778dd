#include "rules/rule_keys.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "rules/match_keys.h"

namespace icmpgate::rules {
namespace {

constexpr NameSyntax kRuleId{"rule id", 64, "._:-"};
constexpr std::int64_t kSidMax = std::numeric_limits<std::uint32_t>::max();
constexpr std::array<std::string_view, 2> kVerdictNames{"accept", "drop"};
constexpr std::array<std::string_view, 2> kModeNames{"enforce", "monitor"};  // RuleMode order

struct RuleReading {
    RuleDocument& rule;
    RuleContext& context;
};

void read_rate_limit(KeyReader& reader, const Value& value, RuleReading& r) {
    const std::vector<std::string>& defined = r.context.limiter_names;
    const std::string& name = value.text();
    if (std::find(defined.begin(), defined.end(), name) == defined.end()) {
        const std::vector<std::string_view> candidates(defined.begin(), defined.end());
        const std::string hint = defined.empty() ? "; \"rate_limits\" defines none" : suggestion(name, candidates);
        reader.error(value.pointer, "unknown rate limit " + quote(name) + hint);
        return;
    }
    std::vector<std::string>& listed = r.rule.rate_limits;
    if (std::find(listed.begin(), listed.end(), name) != listed.end()) {
        reader.error(value.pointer, "rate limit " + quote(name) + " is listed twice");
        return;
    }
    listed.push_back(name);
}

// The keys are read in this order: "id" first, so that every later fault names the rule.
constexpr std::array kRuleKeys{
    Key<RuleReading>{
        {"id", named_value(kRuleId), true},
        [](KeyReader& reader, const Value& v, RuleReading& r) {
            const std::string& id = v.text();
            reader.set_rule_id(id);
            r.rule.id = id;
            auto& ids = r.context.ids;
            const auto it = std::find_if(ids.begin(), ids.end(), [&](const auto& e) { return e.first == id; });
            if (it != ids.end()) {
                reader.error(v.pointer, "duplicate rule id " + quote(id) + " (first used at " + it->second + ")");
            } else {
                ids.emplace_back(id, r.rule.pointer);
            }
        }},
    Key<RuleReading>{{"description", string_value()},
                     [](KeyReader&, const Value& v, RuleReading& r) { r.rule.description = v.text(); }},
    Key<RuleReading>{{"match", object_value(match_keys), true},
                     [](KeyReader& reader, const Value& v, RuleReading& r) { read_match(reader, v, r.rule.match); }},
    Key<RuleReading>{
        {"verdict", choice_value("verdict", [] { return std::span<const std::string_view>(kVerdictNames); }), true},
        [](KeyReader&, const Value& v, RuleReading& r) {
            r.rule.verdict = v.choice == 0 ? Verdict::accept : Verdict::drop;
        }},
    Key<RuleReading>{
        {"rate_limit", ValueSpec{.types = static_cast<std::uint8_t>(JsonType::string),
                                 .repetition = Repetition::one_or_list,
                                 .unique_items = true,
                                 .empty_list = "an empty list names no rate limit; leave \"rate_limit\" out instead"}},
        read_rate_limit},
    Key<RuleReading>{{"mode", choice_value("mode", [] { return std::span<const std::string_view>(kModeNames); })},
                     [](KeyReader&, const Value& v, RuleReading& r) {
                         r.rule.mode = v.choice == 0 ? RuleMode::enforce : RuleMode::monitor;
                     }},
    Key<RuleReading>{{"log", boolean_value()},
                     [](KeyReader&, const Value& v, RuleReading& r) { r.rule.log = v.json.get<bool>(); }},
    Key<RuleReading>{
        {"override_protection", boolean_value()},
        [](KeyReader&, const Value& v, RuleReading& r) { r.rule.override_protection = v.json.get<bool>(); }},
    Key<RuleReading>{
        {"sid", integer_value("sid", 1, kSidMax)},
        [](KeyReader&, const Value& v, RuleReading& r) { r.rule.sid = static_cast<std::uint32_t>(v.integer); }},
};
constexpr auto kRuleDescriptions = descriptions_of(kRuleKeys);

}  // namespace

std::span<const KeyDescription> rule_keys() {
    return kRuleDescriptions;
}

bool read_rule(KeyReader& reader, const Value& value, RuleContext& context, RuleDocument& rule) {
    const std::size_t errors_before = reader.error_count();
    rule.pointer = value.pointer;
    RuleReading reading{rule, context};
    const bool read = reader.read_object(value.json, value.pointer, kRuleKeys, reading);
    reader.set_rule_id(std::nullopt);
    return read && reader.error_count() == errors_before;
}

}  // namespace icmpgate::rules
