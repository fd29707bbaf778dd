#include "rules/limiter_keys.h"

#include <array>
#include <cstdint>
#include <string>

#include "rules/cidr.h"

namespace icmpgate::rules {
namespace {

constexpr double kRateMax = 1e9;
constexpr std::int64_t kBurstMax = 1'000'000;
constexpr std::int64_t kMaxEntriesMax = 16'777'216;
constexpr std::array<std::string_view, 3> kScopeNames{"global", "source", "destination"};

// The keys that shape a per-source or per-destination table, and mean nothing to a global limit.
constexpr std::string_view kPrefixV4 = "prefix_v4";
constexpr std::string_view kPrefixV6 = "prefix_v6";
constexpr std::string_view kMaxEntries = "max_entries";
constexpr std::array<std::string_view, 3> kPerAddressKeys{kPrefixV4, kPrefixV6, kMaxEntries};

constexpr std::array kLimiterKeys{
    Key<LimiterSpec>{{"rate", number_value("rate", 0, kRateMax), true},
                     [](KeyReader&, const Value& v, LimiterSpec& l) { l.rate = v.number; }},
    Key<LimiterSpec>{
        {"burst", integer_value("burst", 1, kBurstMax), true},
        [](KeyReader&, const Value& v, LimiterSpec& l) { l.burst = static_cast<std::uint32_t>(v.integer); }},
    Key<LimiterSpec>{{"per", choice_value("scope", [] { return std::span<const std::string_view>(kScopeNames); })},
                     [](KeyReader&, const Value& v, LimiterSpec& l) { l.per = static_cast<LimiterScope>(v.choice); }},
    Key<LimiterSpec>{
        {kPrefixV4, integer_value(kPrefixV4, 0, kIpv4PrefixMax)},
        [](KeyReader&, const Value& v, LimiterSpec& l) { l.prefix_v4 = static_cast<std::uint8_t>(v.integer); }},
    Key<LimiterSpec>{
        {kPrefixV6, integer_value(kPrefixV6, 0, kIpv6PrefixMax)},
        [](KeyReader&, const Value& v, LimiterSpec& l) { l.prefix_v6 = static_cast<std::uint8_t>(v.integer); }},
    Key<LimiterSpec>{
        {kMaxEntries, integer_value(kMaxEntries, 1, kMaxEntriesMax)},
        [](KeyReader&, const Value& v, LimiterSpec& l) { l.max_entries = static_cast<std::uint32_t>(v.integer); }},
};
constexpr auto kLimiterDescriptions = descriptions_of(kLimiterKeys);

}  // namespace

std::span<const KeyDescription> limiter_keys() {
    return kLimiterDescriptions;
}

bool read_limiter(KeyReader& reader, const Value& value, LimiterDocument& limiter) {
    const std::size_t errors_before = reader.error_count();
    limiter.pointer = value.pointer;
    limiter.spec.name = std::string(value.member);
    (void)reader.read_object(value.json, value.pointer, kLimiterKeys, limiter.spec);
    if (limiter.spec.per == LimiterScope::global) {
        for (const std::string_view key : kPerAddressKeys) {
            if (!value.json.contains(key)) continue;
            reader.warning(pointer_child(value.pointer, key),
                           "\"" + std::string(key) +
                               "\" has no effect on a global rate limit; did you mean to set \"per\": \"source\"?");
        }
    }
    return reader.error_count() == errors_before && name_syntax_fault(value.member, kLimiterName).empty();
}

}  // namespace icmpgate::rules
