#pragma once
// The IANA ICMP and ICMPv6 type/code catalogue, with the names users already know:
// nftables names first (the canonical spelling icmpgate logs), iptables/ip6tables and pf
// spellings as aliases. One table per family; policy name resolution and log names both
// read it, so they cannot drift.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "filter/decode/family.h"

namespace icmpgate::decode {

struct IcmpTypeName {
    std::string_view name;
    Family family;
    std::uint8_t type;
    bool canonical;  // the spelling used in logs; false for aliases
};

struct IcmpCodeName {
    std::string_view name;
    Family family;
    std::uint8_t type;  // the type this code belongs to
    std::uint8_t code;
    bool canonical;
};

enum class TypeStatus : std::uint8_t {
    assigned,      // in the IANA registry and in use
    deprecated,    // RFC 6633 / RFC 6918 (v4), or deprecated v6 assignments
    experimental,  // v6 100, 101, 200, 201; reserved 127, 255
    unassigned,
};

[[nodiscard]] std::span<const IcmpTypeName> icmp_type_names() noexcept;
[[nodiscard]] std::span<const IcmpCodeName> icmp_code_names() noexcept;

// The longest name in the catalogue may have (checked at compile time).
inline constexpr std::size_t kIcmpNameMax = 40;

// Canonical names, "" when the registry has none. No allocation. Every name is an ASCII
// word (letters, digits, '-'; at most kIcmpNameMax bytes; checked at compile time), so it
// needs no escaping in JSON.
[[nodiscard]] std::string_view icmp_type_name(Family family, std::uint8_t type) noexcept;
[[nodiscard]] std::string_view icmp_code_name(Family family, std::uint8_t type, std::uint8_t code) noexcept;
[[nodiscard]] TypeStatus icmp_type_status(Family family, std::uint8_t type) noexcept;

// Name lookup (canonical names and aliases; exact spelling). nullopt when the family has
// no such name. Within one family a name means one type, and a code name one (type, code).
struct IcmpTypeCode {
    std::uint8_t type;
    std::uint8_t code;
};
[[nodiscard]] std::optional<std::uint8_t> icmp_type_from_name(Family family, std::string_view name) noexcept;
[[nodiscard]] std::optional<IcmpTypeCode> icmp_code_from_name(Family family, std::string_view name) noexcept;

// "ICMP" or "ICMPv6", as the docs and diagnostics write the protocol.
[[nodiscard]] constexpr std::string_view icmp_protocol_name(Family family) noexcept {
    return family == Family::ipv4 ? "ICMP" : "ICMPv6";
}

}  // namespace icmpgate::decode
