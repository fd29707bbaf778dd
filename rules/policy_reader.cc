#include "rules/policy_reader.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "filter/decode/anomaly.h"
#include "rules/key_reader.h"
#include "rules/limiter_keys.h"
#include "rules/rule_keys.h"

namespace icmpgate::rules {
namespace {

constexpr std::array<std::string_view, 2> kVerdictNames{"accept", "drop"};
constexpr std::array<std::string_view, 2> kAnomalyActionNames{"drop", "accept"};
constexpr auto kAnomalyNames = [] {
    std::array<std::string_view, decode::kAnomalyCount> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = decode::kAnomalies[i].name;
    return out;
}();

constexpr MapSpec kAnomalies{
    .noun = "anomaly",
    .names = [] { return std::span<const std::string_view>(kAnomalyNames); },
    .value = choice_value("anomaly action", [] { return std::span<const std::string_view>(kAnomalyActionNames); }),
};

constexpr MapSpec kRateLimits{.noun = "rate limit", .syntax = &kLimiterName, .value = object_value(limiter_keys)};

struct PolicyReading {
    PolicyDocument document;
    std::vector<std::string> limiter_names;  // every rate limit defined, even one with an error
    std::vector<std::pair<std::string, std::string>> rule_ids;
};

constexpr std::array kTopKeys{
    Key<PolicyReading>{{"$schema", string_value()}, [](KeyReader&, const Value&, PolicyReading&) {}},
    Key<PolicyReading>{{"version", integer_value("version", kPolicyVersion, kPolicyVersion), true},
                       [](KeyReader&, const Value&, PolicyReading&) {}},
    Key<PolicyReading>{{"description", string_value()},
                       [](KeyReader&, const Value& v, PolicyReading& p) { p.document.description = v.text(); }},
    Key<PolicyReading>{
        {"default_verdict", choice_value("verdict", [] { return std::span<const std::string_view>(kVerdictNames); })},
        [](KeyReader&, const Value& v, PolicyReading& p) {
            p.document.default_verdict = v.choice == 0 ? Verdict::accept : Verdict::drop;
        }},
    Key<PolicyReading>{{"anomalies", map_value(kAnomalies)},
                       [](KeyReader&, const Value& v, PolicyReading& p) {
                           if (const std::optional<decode::Anomaly> anomaly = decode::anomaly_from_name(v.member))
                               p.document.anomalies[static_cast<std::size_t>(*anomaly)] =
                                   v.choice == 0 ? decode::AnomalyAction::drop : decode::AnomalyAction::accept;
                       }},
    // Before "rules": a rule names rate limits.
    Key<PolicyReading>{{"rate_limits", map_value(kRateLimits)},
                       [](KeyReader& reader, const Value& v, PolicyReading& p) {
                           LimiterDocument limiter;
                           const bool clean = read_limiter(reader, v, limiter);
                           // Known even when it has a fault, so rules naming it get no second,
                           // misleading "unknown rate limit" error.
                           p.limiter_names.emplace_back(v.member);
                           if (clean) p.document.limiters.push_back(std::move(limiter));
                       }},
    Key<PolicyReading>{{"rules", list_of(object_value(rule_keys))},
                       [](KeyReader& reader, const Value& v, PolicyReading& p) {
                           RuleContext context{p.limiter_names, p.rule_ids};
                           RuleDocument rule;
                           if (read_rule(reader, v, context, rule)) p.document.rules.push_back(std::move(rule));
                       }},
};
constexpr auto kTopDescriptions = descriptions_of(kTopKeys);

}  // namespace

std::span<const KeyDescription> policy_keys() {
    return kTopDescriptions;
}

PolicyDocument read_policy_document(const PolicyJson& root, DiagnosticSink& sink) {
    KeyReader reader(sink);
    PolicyReading reading;
    (void)reader.read_object(root, "", kTopKeys, reading);
    return std::move(reading.document);
}

}  // namespace icmpgate::rules
