#pragma once
// "type" and "code" entries, read by one function: a name from the ICMP catalogue, resolved
// in each of the rule's families where it exists (docs/policy.md, "Name resolution"), or a
// number, which needs the rule's "family" (ICMP and ICMPv6 number their messages apart).

#include <optional>
#include <span>
#include <string_view>

#include "filter/decode/family.h"
#include "rules/key_reader.h"
#include "rules/policy_document.h"

namespace icmpgate::rules {

enum class IcmpField : std::uint8_t { type, code };

// The rule's families: its "family", or both. `known` is false when "family" was given but
// could not be read; entries then raise no error of their own (it would follow from that one).
struct RuleFamilies {
    std::span<const decode::Family> families;
    bool known{true};
};

// One entry that passed its description's checks (a string, or an integer 0..255); nullopt
// when it resolves to nothing (an error was reported, unless the family is unknown).
[[nodiscard]] std::optional<IcmpValue> read_icmp_value(KeyReader& reader, const Value& value, IcmpField field,
                                                       const RuleFamilies& families);

// Every name of `field` in the catalogue, both families, each once: what a string entry may be.
[[nodiscard]] std::span<const std::string_view> icmp_names(IcmpField field);

}  // namespace icmpgate::rules
