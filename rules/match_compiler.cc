#include "rules/match_compiler.h"

#include <array>
#include <bitset>
#include <cstddef>
#include <vector>

namespace icmpgate::rules {
namespace {

using decode::Family;
using Bits = std::bitset<256>;

constexpr std::array<Family, 2> kFamilies{Family::ipv4, Family::ipv6};

bool in_families(const MatchDocument& match, Family family) {
    return !match.family || *match.family == family;
}

Bits numeric_codes(const std::vector<IcmpValue>& codes) {
    Bits out;
    for (const IcmpValue& value : codes)
        if (value.is_number()) out.set(value.number);
    return out;
}

void add_restricted(TypeCodeSet& set, std::uint8_t type, const Bits& codes) {
    for (TypeCodeSet::Restricted& r : set.restricted) {
        if (r.type == type) {
            r.codes |= codes;
            return;
        }
    }
    set.restricted.push_back({type, codes});
}

// The (type, code) pairs of one family (docs/policy.md, "Name resolution").
TypeCodeSet type_codes(const MatchDocument& match, Family family) {
    TypeCodeSet out;
    const std::size_t fi = family_index(family);
    if (!match.types && !match.codes) {
        out.all_codes.set();
        return out;
    }
    if (!match.codes) {
        out.all_codes = types_named(*match.types, family);
        return out;
    }
    const Bits numbers = numeric_codes(*match.codes);
    if (!match.types) {
        out.codes_any_type = numbers;
        for (const IcmpValue& code : *match.codes) {
            if (code.is_number() || !code.meaning[fi]) continue;
            Bits one;
            one.set(code.meaning[fi]->code);
            add_restricted(out, code.meaning[fi]->type, one);
        }
        return out;
    }
    const Bits types = types_named(*match.types, family);
    for (std::size_t t = 0; t < types.size(); ++t) {
        if (!types.test(t)) continue;
        Bits allowed = numbers;
        for (const IcmpValue& code : *match.codes)
            if (!code.is_number() && code.meaning[fi] && code.meaning[fi]->type == t)
                allowed.set(code.meaning[fi]->code);
        if (allowed.any()) add_restricted(out, static_cast<std::uint8_t>(t), allowed);
    }
    return out;
}

// A CIDR list; a family with no prefix in it cannot match the rule.
PrefixList prefix_list(const std::optional<std::vector<Prefix>>& prefixes, std::array<bool, 2>& families) {
    PrefixList out;
    if (!prefixes) return out;
    out.any = false;
    for (const Prefix& prefix : *prefixes) (prefix.address.family == Family::ipv4 ? out.v4 : out.v6).push_back(prefix);
    if (out.v4.empty()) families[family_index(Family::ipv4)] = false;
    if (out.v6.empty()) families[family_index(Family::ipv6)] = false;
    return out;
}

InterfaceSet interface_set(const std::optional<std::vector<InterfacePattern>>& patterns) {
    InterfaceSet out;
    if (!patterns) return out;
    out.any = false;
    out.patterns = *patterns;
    return out;
}

PortSet port_set(const std::optional<std::vector<PortRange>>& ranges) {
    PortSet out;
    if (!ranges) return out;
    out.any = false;
    out.ranges = *ranges;
    return out;
}

}  // namespace

std::bitset<256> types_named(const std::vector<IcmpValue>& types, Family family) {
    Bits out;
    for (const IcmpValue& value : types) {
        if (value.is_number()) {
            out.set(value.number);
        } else if (const auto& meaning = value.meaning[family_index(family)]) {
            out.set(meaning->type);
        }
    }
    return out;
}

CompiledMatch compile_match(const MatchDocument& match) {
    CompiledMatch out;
    for (Family f : kFamilies) {
        const std::size_t fi = family_index(f);
        out.families[fi] = false;
        if (!in_families(match, f)) continue;
        out.type_code[fi] = type_codes(match, f);
        out.families[fi] = !out.type_code[fi].empty();
    }
    out.source = prefix_list(match.source, out.families);
    out.destination = prefix_list(match.destination, out.families);
    out.in_interface = interface_set(match.in_interface);
    out.out_interface = interface_set(match.out_interface);
    if (match.payload_min) out.payload.min = *match.payload_min;
    if (match.payload_max) out.payload.max = *match.payload_max;
    if (const std::optional<EmbeddedDocument>& embedded = match.embedded) {
        EmbeddedMatch& e = out.embedded;
        e.present = true;
        if (embedded->protocols) {
            e.protocol.any = false;
            for (const std::uint8_t protocol : *embedded->protocols) e.protocol.protocols.set(protocol);
        }
        // The quote has the family of the packet carrying it, so these restrict the rule too.
        e.source = prefix_list(embedded->source, out.families);
        e.destination = prefix_list(embedded->destination, out.families);
        e.source_port = port_set(embedded->source_port);
        e.destination_port = port_set(embedded->destination_port);
    }
    return out;
}

}  // namespace icmpgate::rules
