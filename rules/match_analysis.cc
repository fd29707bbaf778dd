#include "rules/match_analysis.h"

namespace icmpgate::rules {
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

bool payload_overlaps(const CompiledMatch& match, std::uint32_t low, std::uint32_t high) noexcept {
    return match.payload_min <= high && match.payload_max >= low;
}

bool is_unconditional(const CompiledMatch& match, std::uint32_t payload_low, std::uint32_t payload_high,
                      bool has_quote) noexcept {
    const EmbeddedMatch& e = match.embedded;
    const bool embedded_free = !e.present || (has_quote && e.any_protocol && e.source.any && e.destination.any &&
                                              e.source_port.any && e.destination_port.any);
    return match.source.any && match.destination.any && match.in_interface.any && match.out_interface.any &&
           match.payload_min <= payload_low && match.payload_max >= payload_high && embedded_free;
}

}  // namespace icmpgate::rules
