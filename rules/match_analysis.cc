#include "rules/match_analysis.h"

#include "rules/aggregate_fields.h"

namespace icmpgate::rules {

// The analyses see a match only through for_each_condition(): a member added to CompiledMatch
// or EmbeddedMatch without being listed there (and given admits_all/admits_some above) would
// be invisible to the protection analysis, which would then take a conditional accept rule
// for an unconditional one and let a later drop of Fragmentation Needed through.
static_assert(aggregate_field_count<CompiledMatch>() == 2 + CompiledMatch::kConditionCount,
              "every CompiledMatch member besides families and type_code must be in for_each_condition()");
static_assert(aggregate_field_count<EmbeddedMatch>() == 1 + EmbeddedMatch::kConditionCount,
              "every EmbeddedMatch member besides present must be in for_each_condition()");

namespace {

using CodeSet = std::bitset<kIcmpValues>;

// Whether row `type` of `outer` holds row `type` of `inner`.
bool row_covered(const TypeCodeSet& inner, const TypeCodeSet& outer, std::uint8_t type) noexcept {
    if (outer.all_codes.test(type)) return true;
    return (codes_of_type(inner, type) & ~codes_of_type(outer, type)).none();
}

}  // namespace

TypeCodeMatrix expand(const TypeCodeSet& set) {
    TypeCodeMatrix m;
    for (std::size_t t = 0; t < kIcmpValues; ++t) {
        if (set.all_codes.test(t)) m[t].set();
        m[t] |= set.codes_any_type;
    }
    for (const TypeCodeSet::Restricted& r : set.restricted) m[r.type] |= r.codes;
    return m;
}

CodeSet codes_of_type(const TypeCodeSet& set, std::uint8_t type) noexcept {
    if (set.all_codes.test(type)) return CodeSet{}.set();
    CodeSet codes = set.codes_any_type;
    for (const TypeCodeSet::Restricted& r : set.restricted)
        if (r.type == type) codes |= r.codes;
    return codes;
}

CodeSet matched_types(const TypeCodeSet& set) noexcept {
    if (set.codes_any_type.any()) return CodeSet{}.set();  // a code of every type
    CodeSet types = set.all_codes;
    for (const TypeCodeSet::Restricted& r : set.restricted)
        if (r.codes.any()) types.set(r.type);
    return types;
}

bool can_match_type(const TypeCodeSet& set, std::uint8_t type) noexcept {
    if (set.all_codes.test(type) || set.codes_any_type.any()) return true;
    for (const TypeCodeSet::Restricted& r : set.restricted)
        if (r.type == type && r.codes.any()) return true;
    return false;
}

bool is_subset(const TypeCodeSet& inner, const TypeCodeSet& outer) noexcept {
    // The types either side lists in `restricted` have rows of their own: compare those one
    // by one (the lists are short).
    CodeSet listed;
    for (const TypeCodeSet::Restricted& r : inner.restricted) {
        if (!row_covered(inner, outer, r.type)) return false;
        listed.set(r.type);
    }
    for (const TypeCodeSet::Restricted& r : outer.restricted) {
        if (!row_covered(inner, outer, r.type)) return false;
        listed.set(r.type);
    }
    // Every other type not in outer.all_codes: outer matches codes_any_type, inner every code
    // (its all_codes) or its codes_any_type.
    const CodeSet rest = ~(outer.all_codes | listed);
    if (rest.none()) return true;
    if ((inner.all_codes & rest).any() && !outer.codes_any_type.all()) return false;
    return (inner.codes_any_type & ~outer.codes_any_type).none();
}

bool admits_all(const PrefixList& list, const MessageClass& /*messages*/) noexcept {
    return list.any;
}
bool admits_some(const PrefixList& list, const MessageClass& messages) noexcept {
    return list.any || !(messages.family == decode::Family::ipv4 ? list.v4 : list.v6).empty();
}

// Some interface carries messages of every class; which one the rule names does not matter.
bool admits_all(const InterfaceSet& set, const MessageClass& /*messages*/) noexcept {
    return set.any;
}
bool admits_some(const InterfaceSet& /*set*/, const MessageClass& /*messages*/) noexcept {
    return true;
}

bool admits_all(const PayloadRange& range, const MessageClass& messages) noexcept {
    return range.min <= messages.payload_low && range.max >= messages.payload_high;
}
bool admits_some(const PayloadRange& range, const MessageClass& messages) noexcept {
    return range.min <= messages.payload_high && range.max >= messages.payload_low;
}

bool admits_all(const ProtocolSet& set, const MessageClass& /*messages*/) noexcept {
    return set.any;
}
bool admits_some(const ProtocolSet& set, const MessageClass& /*messages*/) noexcept {
    return set.any || set.protocols.any();
}

bool admits_all(const PortSet& set, const MessageClass& /*messages*/) noexcept {
    return set.any;
}
bool admits_some(const PortSet& set, const MessageClass& /*messages*/) noexcept {
    return set.any || !set.ranges.empty();
}

// "embedded" present: a message without a decodable quote fails it, whatever its conditions.
bool admits_all(const EmbeddedMatch& embedded, const MessageClass& messages) noexcept {
    if (!embedded.present) return true;
    bool all = messages.quoted;
    embedded.for_each_condition([&](const auto& condition) { all = all && admits_all(condition, messages); });
    return all;
}
bool admits_some(const EmbeddedMatch& embedded, const MessageClass& messages) noexcept {
    bool some = true;
    embedded.for_each_condition([&](const auto& condition) { some = some && admits_some(condition, messages); });
    return some;
}

bool is_unconditional(const CompiledMatch& match, const MessageClass& messages) noexcept {
    bool all = true;
    match.for_each_condition([&](const auto& condition) { all = all && admits_all(condition, messages); });
    return all;
}

bool can_match_some(const CompiledMatch& match, const MessageClass& messages) noexcept {
    bool some = true;
    match.for_each_condition([&](const auto& condition) { some = some && admits_some(condition, messages); });
    return some;
}

}  // namespace icmpgate::rules
