#include "rules/match_analysis.h"

namespace icmpgate::rules {

TypeCodeMatrix expand(const TypeCodeSet& set) {
    TypeCodeMatrix m;
    for (std::size_t t = 0; t < kIcmpValues; ++t) {
        if (set.all_codes.test(t)) m[t].set();
        m[t] |= set.codes_any_type;
    }
    for (const TypeCodeSet::Restricted& r : set.restricted) m[r.type] |= r.codes;
    return m;
}

bool can_match_type(const TypeCodeSet& set, std::uint8_t type) noexcept {
    if (set.all_codes.test(type) || set.codes_any_type.any()) return true;
    for (const TypeCodeSet::Restricted& r : set.restricted)
        if (r.type == type && r.codes.any()) return true;
    return false;
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
