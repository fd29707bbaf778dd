#include "rules/icmp_value_reader.h"

#include <algorithm>
#include <string>
#include <vector>

#include "filter/decode/icmp_catalogue.h"

namespace icmpgate::rules {
namespace {

using decode::Family;

constexpr std::array<Family, 2> kFamilies{Family::ipv4, Family::ipv6};

// What a field's names mean in one family: (type, 0) for a type name, (type, code) for a code name.
std::optional<decode::IcmpTypeCode> meaning_of(IcmpField field, Family family, std::string_view name) {
    if (field == IcmpField::code) return decode::icmp_code_from_name(family, name);
    if (const std::optional<std::uint8_t> type = decode::icmp_type_from_name(family, name))
        return decode::IcmpTypeCode{*type, 0};
    return std::nullopt;
}

std::string_view noun_of(IcmpField field) {
    return field == IcmpField::type ? "type" : "code";
}

IcmpField other_of(IcmpField field) {
    return field == IcmpField::type ? IcmpField::code : IcmpField::type;
}

bool is_name_anywhere(IcmpField field, std::string_view name) {
    return std::any_of(kFamilies.begin(), kFamilies.end(),
                       [&](Family f) { return meaning_of(field, f, name).has_value(); });
}

// The names of `field` in these families, for "did you mean".
std::vector<std::string_view> names_in(IcmpField field, std::span<const Family> families) {
    std::vector<std::string_view> out;
    const auto wanted = [&](Family f) { return std::find(families.begin(), families.end(), f) != families.end(); };
    if (field == IcmpField::type) {
        for (const decode::IcmpTypeName& row : decode::icmp_type_names())
            if (wanted(row.family)) out.push_back(row.name);
    } else {
        for (const decode::IcmpCodeName& row : decode::icmp_code_names())
            if (wanted(row.family)) out.push_back(row.name);
    }
    return out;
}

std::string family_label(Family f) {
    return f == Family::ipv4 ? "ICMPv4" : "ICMPv6";
}

}  // namespace

std::optional<IcmpValue> read_icmp_value(KeyReader& reader, const Value& value, IcmpField field,
                                         const RuleFamilies& rule) {
    const std::string noun(noun_of(field));
    IcmpValue out;
    out.pointer = value.pointer;
    if (!value.json.is_string()) {
        if (rule.families.size() != 1) {
            if (rule.known)
                reader.error(value.pointer, "a numeric " + noun + " needs \"family\": " + value.json.dump() +
                                                " means different messages in ICMPv4 and ICMPv6");
            return std::nullopt;
        }
        out.number = static_cast<std::uint8_t>(value.integer);
        return out;
    }
    const std::string& name = value.text();
    out.name = name;
    bool found = false;
    for (const Family f : rule.families) {
        out.meaning[family_index(f)] = meaning_of(field, f, name);
        found = found || out.meaning[family_index(f)].has_value();
    }
    if (found) return out;
    if (!rule.known) return std::nullopt;
    const std::string other(noun_of(other_of(field)));
    if (rule.families.size() == 1 && is_name_anywhere(field, name)) {
        reader.error(value.pointer, noun + " " + quote(name) + " does not exist in " + family_label(rule.families[0]));
    } else if (is_name_anywhere(other_of(field), name)) {
        reader.error(value.pointer,
                     quote(name) + " is a " + other + ", not a " + noun + "; list it under \"" + other + "\"");
    } else {
        const std::vector<std::string_view> names = names_in(field, rule.families);
        reader.error(value.pointer, "unknown ICMP " + noun + " " + quote(name) + suggestion(name, names));
    }
    return std::nullopt;
}

std::span<const std::string_view> icmp_names(IcmpField field) {
    static const std::array<std::vector<std::string_view>, 2> names = [] {
        std::array<std::vector<std::string_view>, 2> out;
        for (const decode::IcmpTypeName& row : decode::icmp_type_names()) out[0].push_back(row.name);
        for (const decode::IcmpCodeName& row : decode::icmp_code_names()) out[1].push_back(row.name);
        for (std::vector<std::string_view>& list : out) {
            std::vector<std::string_view> unique;
            for (const std::string_view name : list)
                if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
            list = std::move(unique);
        }
        return out;
    }();
    return names[field == IcmpField::type ? 0 : 1];
}

}  // namespace icmpgate::rules
