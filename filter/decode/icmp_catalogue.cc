#include "filter/decode/icmp_catalogue.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>

namespace icmpgate::decode {
namespace {

constexpr Family v4 = Family::ipv4;
constexpr Family v6 = Family::ipv6;

// Canonical spelling: the nftables name where nftables has one, otherwise a kebab-case name
// derived from the IANA registry description. Aliases: iptables/ip6tables (libxt_icmp,
// libip6t_icmp6) and OpenBSD pf (icmp(4), pf.conf(5)) spellings. Rows of one (family, type)
// start with the canonical name.
constexpr auto kTypeNames = std::to_array<IcmpTypeName>({
    // ICMPv4 (RFC 792 and the IANA "ICMP Parameters" registry)
    {"echo-reply", v4, 0, true},
    {"pong", v4, 0, false},
    {"echorep", v4, 0, false},
    {"destination-unreachable", v4, 3, true},
    {"unreach", v4, 3, false},
    {"source-quench", v4, 4, true},
    {"squench", v4, 4, false},
    {"redirect", v4, 5, true},
    {"redir", v4, 5, false},
    {"alternate-host-address", v4, 6, true},
    {"althost", v4, 6, false},
    {"echo-request", v4, 8, true},
    {"ping", v4, 8, false},
    {"echoreq", v4, 8, false},
    {"router-advertisement", v4, 9, true},
    {"routeradv", v4, 9, false},
    {"router-solicitation", v4, 10, true},
    {"routersol", v4, 10, false},
    {"time-exceeded", v4, 11, true},
    {"ttl-exceeded", v4, 11, false},
    {"timex", v4, 11, false},
    {"parameter-problem", v4, 12, true},
    {"paramprob", v4, 12, false},
    {"timestamp-request", v4, 13, true},
    {"timereq", v4, 13, false},
    {"timestamp-reply", v4, 14, true},
    {"timerep", v4, 14, false},
    {"info-request", v4, 15, true},
    {"inforeq", v4, 15, false},
    {"info-reply", v4, 16, true},
    {"inforep", v4, 16, false},
    {"address-mask-request", v4, 17, true},
    {"maskreq", v4, 17, false},
    {"address-mask-reply", v4, 18, true},
    {"maskrep", v4, 18, false},
    {"traceroute", v4, 30, true},
    {"trace", v4, 30, false},
    {"datagram-conversion-error", v4, 31, true},
    {"dataconv", v4, 31, false},
    {"mobile-host-redirect", v4, 32, true},
    {"mobredir", v4, 32, false},
    {"ipv6-where-are-you", v4, 33, true},
    {"ipv6-where", v4, 33, false},
    {"ipv6-i-am-here", v4, 34, true},
    {"ipv6-here", v4, 34, false},
    {"mobile-registration-request", v4, 35, true},
    {"mobregreq", v4, 35, false},
    {"mobile-registration-reply", v4, 36, true},
    {"mobregrep", v4, 36, false},
    {"domain-name-request", v4, 37, true},
    {"domain-name-reply", v4, 38, true},
    {"skip", v4, 39, true},
    {"photuris", v4, 40, true},
    {"experimental-mobility", v4, 41, true},
    {"extended-echo-request", v4, 42, true},
    {"extended-echo-reply", v4, 43, true},

    // ICMPv6 (RFC 4443 and the IANA "ICMPv6 Parameters" registry)
    {"destination-unreachable", v6, 1, true},
    {"unreach", v6, 1, false},
    {"packet-too-big", v6, 2, true},
    {"toobig", v6, 2, false},
    {"time-exceeded", v6, 3, true},
    {"ttl-exceeded", v6, 3, false},
    {"timex", v6, 3, false},
    {"parameter-problem", v6, 4, true},
    {"paramprob", v6, 4, false},
    {"echo-request", v6, 128, true},
    {"ping", v6, 128, false},
    {"echoreq", v6, 128, false},
    {"echo-reply", v6, 129, true},
    {"pong", v6, 129, false},
    {"echorep", v6, 129, false},
    {"mld-listener-query", v6, 130, true},
    {"listqry", v6, 130, false},
    {"groupqry", v6, 130, false},
    {"mld-listener-report", v6, 131, true},
    {"listenrep", v6, 131, false},
    {"grouprep", v6, 131, false},
    {"mld-listener-done", v6, 132, true},
    {"mld-listener-reduction", v6, 132, false},
    {"listendone", v6, 132, false},
    {"groupterm", v6, 132, false},
    {"nd-router-solicit", v6, 133, true},
    {"router-solicitation", v6, 133, false},
    {"routersol", v6, 133, false},
    {"nd-router-advert", v6, 134, true},
    {"router-advertisement", v6, 134, false},
    {"routeradv", v6, 134, false},
    {"nd-neighbor-solicit", v6, 135, true},
    {"neighbor-solicitation", v6, 135, false},
    {"neighbour-solicitation", v6, 135, false},
    {"neighbrsol", v6, 135, false},
    {"nd-neighbor-advert", v6, 136, true},
    {"neighbor-advertisement", v6, 136, false},
    {"neighbour-advertisement", v6, 136, false},
    {"neighbradv", v6, 136, false},
    {"nd-redirect", v6, 137, true},
    {"redirect", v6, 137, false},
    {"redir", v6, 137, false},
    {"router-renumbering", v6, 138, true},
    {"routrrenum", v6, 138, false},
    {"node-information-query", v6, 139, true},
    {"niqry", v6, 139, false},
    {"wrureq", v6, 139, false},
    {"fqdnreq", v6, 139, false},
    {"node-information-response", v6, 140, true},
    {"nirep", v6, 140, false},
    {"wrurep", v6, 140, false},
    {"fqdnrep", v6, 140, false},
    {"ind-neighbor-solicit", v6, 141, true},
    {"ind-neighbor-advert", v6, 142, true},
    {"mld2-listener-report", v6, 143, true},
    {"home-agent-address-discovery-request", v6, 144, true},
    {"home-agent-address-discovery-reply", v6, 145, true},
    {"mobile-prefix-solicitation", v6, 146, true},
    {"mobile-prefix-advertisement", v6, 147, true},
    {"certification-path-solicitation", v6, 148, true},
    {"certification-path-advertisement", v6, 149, true},
    {"experimental-mobility", v6, 150, true},
    {"mrd-advertisement", v6, 151, true},
    {"mrd-solicitation", v6, 152, true},
    {"mrd-termination", v6, 153, true},
    {"fmipv6", v6, 154, true},
    {"rpl-control", v6, 155, true},
    {"ilnpv6-locator-update", v6, 156, true},
    {"duplicate-address-request", v6, 157, true},
    {"duplicate-address-confirmation", v6, 158, true},
    {"mpl-control", v6, 159, true},
    {"extended-echo-request", v6, 160, true},
    {"extended-echo-reply", v6, 161, true},
});

constexpr auto kCodeNames = std::to_array<IcmpCodeName>({
    // ICMPv4 Destination Unreachable (RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1)
    {"net-unreachable", v4, 3, 0, true},
    {"network-unreachable", v4, 3, 0, false},
    {"net-unr", v4, 3, 0, false},
    {"host-unreachable", v4, 3, 1, true},
    {"host-unr", v4, 3, 1, false},
    {"prot-unreachable", v4, 3, 2, true},
    {"protocol-unreachable", v4, 3, 2, false},
    {"proto-unr", v4, 3, 2, false},
    {"port-unreachable", v4, 3, 3, true},
    {"port-unr", v4, 3, 3, false},
    {"frag-needed", v4, 3, 4, true},
    {"fragmentation-needed", v4, 3, 4, false},
    {"needfrag", v4, 3, 4, false},
    {"source-route-failed", v4, 3, 5, true},
    {"srcfail", v4, 3, 5, false},
    {"net-unknown", v4, 3, 6, true},
    {"network-unknown", v4, 3, 6, false},
    {"net-unk", v4, 3, 6, false},
    {"host-unknown", v4, 3, 7, true},
    {"host-unk", v4, 3, 7, false},
    {"host-isolated", v4, 3, 8, true},
    {"isolate", v4, 3, 8, false},
    {"net-prohibited", v4, 3, 9, true},
    {"network-prohibited", v4, 3, 9, false},
    {"net-prohib", v4, 3, 9, false},
    {"host-prohibited", v4, 3, 10, true},
    {"host-prohib", v4, 3, 10, false},
    {"net-tos-unreachable", v4, 3, 11, true},
    {"TOS-network-unreachable", v4, 3, 11, false},
    {"net-tos", v4, 3, 11, false},
    {"host-tos-unreachable", v4, 3, 12, true},
    {"TOS-host-unreachable", v4, 3, 12, false},
    {"host-tos", v4, 3, 12, false},
    {"admin-prohibited", v4, 3, 13, true},
    {"communication-prohibited", v4, 3, 13, false},
    {"filter-prohib", v4, 3, 13, false},
    {"host-precedence-violation", v4, 3, 14, true},
    {"host-preced", v4, 3, 14, false},
    {"precedence-cutoff", v4, 3, 15, true},
    {"cutoff-preced", v4, 3, 15, false},
    // ICMPv4 Redirect (RFC 792)
    {"network-redirect", v4, 5, 0, true},
    {"redir-net", v4, 5, 0, false},
    {"host-redirect", v4, 5, 1, true},
    {"redir-host", v4, 5, 1, false},
    {"tos-network-redirect", v4, 5, 2, true},
    {"TOS-network-redirect", v4, 5, 2, false},
    {"redir-tos-net", v4, 5, 2, false},
    {"tos-host-redirect", v4, 5, 3, true},
    {"TOS-host-redirect", v4, 5, 3, false},
    {"redir-tos-host", v4, 5, 3, false},
    // ICMPv4 Router Advertisement (RFC 1256, RFC 2002)
    {"normal-router-advertisement", v4, 9, 0, true},
    {"normal-adv", v4, 9, 0, false},
    {"does-not-route-common-traffic", v4, 9, 16, true},
    {"common-adv", v4, 9, 16, false},
    // ICMPv4 Time Exceeded (RFC 792)
    {"ttl-exceeded-in-transit", v4, 11, 0, true},
    {"ttl-zero-during-transit", v4, 11, 0, false},
    {"transit", v4, 11, 0, false},
    {"reassembly-timeout", v4, 11, 1, true},
    {"ttl-zero-during-reassembly", v4, 11, 1, false},
    {"reassemb", v4, 11, 1, false},
    // ICMPv4 Parameter Problem (RFC 792, RFC 1108)
    {"pointer-indicates-error", v4, 12, 0, true},
    {"ip-header-bad", v4, 12, 0, false},
    {"badhead", v4, 12, 0, false},
    {"required-option-missing", v4, 12, 1, true},
    {"optmiss", v4, 12, 1, false},
    {"bad-length", v4, 12, 2, true},
    {"badlen", v4, 12, 2, false},
    // ICMPv4 Photuris (RFC 2521)
    {"bad-spi", v4, 40, 0, true},
    {"authentication-failed", v4, 40, 1, true},
    {"decompression-failed", v4, 40, 2, true},
    {"decryption-failed", v4, 40, 3, true},
    {"need-authentication", v4, 40, 4, true},
    {"need-authorization", v4, 40, 5, true},
    // ICMPv4 Extended Echo Reply (RFC 8335)
    {"no-error", v4, 43, 0, true},
    {"malformed-query", v4, 43, 1, true},
    {"no-such-interface", v4, 43, 2, true},
    {"no-such-table-entry", v4, 43, 3, true},
    {"multiple-interfaces-satisfy-query", v4, 43, 4, true},

    // ICMPv6 Destination Unreachable (RFC 4443 3.1, RFC 6554, RFC 8883)
    {"no-route", v6, 1, 0, true},
    {"noroute-unr", v6, 1, 0, false},
    {"admin-prohibited", v6, 1, 1, true},
    {"communication-prohibited", v6, 1, 1, false},
    {"admin-unr", v6, 1, 1, false},
    {"beyond-scope", v6, 1, 2, true},
    {"beyond-unr", v6, 1, 2, false},
    {"addr-unreachable", v6, 1, 3, true},
    {"address-unreachable", v6, 1, 3, false},
    {"addr-unr", v6, 1, 3, false},
    {"port-unreachable", v6, 1, 4, true},
    {"port-unr", v6, 1, 4, false},
    {"policy-fail", v6, 1, 5, true},
    {"failed-policy", v6, 1, 5, false},
    {"reject-route", v6, 1, 6, true},
    {"source-routing-header-error", v6, 1, 7, true},
    {"headers-too-long", v6, 1, 8, true},
    // ICMPv6 Time Exceeded (RFC 4443 3.3)
    {"hop-limit-exceeded", v6, 3, 0, true},
    {"ttl-zero-during-transit", v6, 3, 0, false},
    {"transit", v6, 3, 0, false},
    {"reassembly-timeout", v6, 3, 1, true},
    {"ttl-zero-during-reassembly", v6, 3, 1, false},
    {"reassemb", v6, 3, 1, false},
    // ICMPv6 Parameter Problem (RFC 4443 3.4, RFC 7112, RFC 8754, RFC 8883)
    {"erroneous-header-field", v6, 4, 0, true},
    {"bad-header", v6, 4, 0, false},
    {"badhead", v6, 4, 0, false},
    {"unrecognized-next-header", v6, 4, 1, true},
    {"unknown-header-type", v6, 4, 1, false},
    {"nxthdr", v6, 4, 1, false},
    {"unrecognized-option", v6, 4, 2, true},
    {"unknown-option", v6, 4, 2, false},
    {"incomplete-header-chain", v6, 4, 3, true},
    {"sr-upper-layer-header-error", v6, 4, 4, true},
    {"unrecognized-next-header-intermediate", v6, 4, 5, true},
    {"extension-header-too-big", v6, 4, 6, true},
    {"extension-header-chain-too-long", v6, 4, 7, true},
    {"too-many-extension-headers", v6, 4, 8, true},
    {"too-many-options", v6, 4, 9, true},
    {"option-too-big", v6, 4, 10, true},
    // ICMPv6 Router Renumbering (RFC 2894)
    {"router-renumbering-command", v6, 138, 0, true},
    {"router-renumbering-result", v6, 138, 1, true},
    {"sequence-number-reset", v6, 138, 255, true},
    // ICMPv6 Node Information Query / Response (RFC 4620)
    {"subject-ipv6-address", v6, 139, 0, true},
    {"subject-name", v6, 139, 1, true},
    {"subject-ipv4-address", v6, 139, 2, true},
    {"successful-reply", v6, 140, 0, true},
    {"refused", v6, 140, 1, true},
    {"unknown-qtype", v6, 140, 2, true},
    // ICMPv6 Extended Echo Reply (RFC 8335)
    {"no-error", v6, 161, 0, true},
    {"malformed-query", v6, 161, 1, true},
    {"no-such-interface", v6, 161, 2, true},
    {"no-such-table-entry", v6, 161, 3, true},
    {"multiple-interfaces-satisfy-query", v6, 161, 4, true},
});

// Within a family, a type name names one type and each type has exactly one canonical name.
constexpr bool type_names_are_consistent() {
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
        const IcmpTypeName& a = kTypeNames[i];
        for (std::size_t j = i + 1; j < kTypeNames.size(); ++j) {
            const IcmpTypeName& b = kTypeNames[j];
            if (a.family != b.family) continue;
            if (a.name == b.name) return false;
            if (a.type == b.type && a.canonical && b.canonical) return false;
        }
        if (a.canonical) continue;
        bool has_canonical = false;
        for (const IcmpTypeName& b : kTypeNames)
            has_canonical = has_canonical || (b.family == a.family && b.type == a.type && b.canonical);
        if (!has_canonical) return false;
    }
    return true;
}
static_assert(type_names_are_consistent(), "ICMP type names must be unique per family, one canonical per type");

constexpr bool code_names_are_consistent() {
    for (std::size_t i = 0; i < kCodeNames.size(); ++i) {
        const IcmpCodeName& a = kCodeNames[i];
        for (std::size_t j = i + 1; j < kCodeNames.size(); ++j) {
            const IcmpCodeName& b = kCodeNames[j];
            if (a.family != b.family) continue;
            if (a.name == b.name) return false;
            if (a.type == b.type && a.code == b.code && a.canonical && b.canonical) return false;
        }
        bool has_canonical = false;
        bool owner_named = false;
        for (const IcmpCodeName& b : kCodeNames)
            has_canonical =
                has_canonical || (b.family == a.family && b.type == a.type && b.code == a.code && b.canonical);
        for (const IcmpTypeName& t : kTypeNames)
            owner_named = owner_named || (t.family == a.family && t.type == a.type);
        if (!has_canonical || !owner_named) return false;
    }
    return true;
}
static_assert(code_names_are_consistent(),
              "ICMP code names must be unique per family, one canonical per code, of a named type");

// Every name is an ASCII word (letters, digits, '-') of at most kIcmpNameMax bytes: log lines
// copy the canonical names into JSON strings without an escape scan, and size their buffers
// by kIcmpNameMax (filter/log/verdict_line.h relies on both).
constexpr bool is_ascii_word(std::string_view name) noexcept {
    if (name.empty() || name.size() > kIcmpNameMax) return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}
static_assert(std::all_of(kTypeNames.begin(), kTypeNames.end(),
                          [](const IcmpTypeName& r) { return is_ascii_word(r.name); }),
              "ICMP type names must be ASCII words");
static_assert(std::all_of(kCodeNames.begin(), kCodeNames.end(),
                          [](const IcmpCodeName& r) { return is_ascii_word(r.name); }),
              "ICMP code names must be ASCII words");

// Log lines name the type and code of every packet, and the engine asks a type's status:
// so that is an index lookup, not a scan of the tables above. Per family (0 = v4, 1 = v6)
// and type: the canonical type row, and the range of that type's canonical code rows in
// kCanonicalCodes (sorted by family, type and code).
constexpr std::size_t kNoRow = 0xFF;
static_assert(kTypeNames.size() < kNoRow && kCodeNames.size() < kNoRow, "row indices are stored in a byte");

using TypeRowIndex = std::array<std::array<std::uint8_t, 256>, 2>;
constexpr TypeRowIndex kCanonicalTypeRow = [] {
    TypeRowIndex index{};
    for (auto& family : index) family.fill(static_cast<std::uint8_t>(kNoRow));
    for (std::size_t i = 0; i < kTypeNames.size(); ++i)
        if (kTypeNames[i].canonical)
            index[family_index(kTypeNames[i].family)][kTypeNames[i].type] = static_cast<std::uint8_t>(i);
    return index;
}();

constexpr std::size_t kCanonicalCodeCount = [] {
    std::size_t count = 0;
    for (const IcmpCodeName& row : kCodeNames) count += row.canonical ? 1 : 0;
    return count;
}();

constexpr auto kCanonicalCodes = [] {
    std::array<IcmpCodeName, kCanonicalCodeCount> rows{};
    std::size_t next = 0;
    for (const IcmpCodeName& row : kCodeNames)
        if (row.canonical) rows[next++] = row;
    std::sort(rows.begin(), rows.end(), [](const IcmpCodeName& a, const IcmpCodeName& b) {
        const auto key = [](const IcmpCodeName& r) { return std::tuple{family_index(r.family), r.type, r.code}; };
        return key(a) < key(b);
    });
    return rows;
}();

struct CodeRange {
    std::uint8_t begin{0};
    std::uint8_t end{0};
};
using CodeRangeIndex = std::array<std::array<CodeRange, 256>, 2>;
constexpr CodeRangeIndex kCodeRanges = [] {
    CodeRangeIndex index{};
    for (std::size_t i = 0; i < kCanonicalCodes.size(); ++i) {
        CodeRange& range = index[family_index(kCanonicalCodes[i].family)][kCanonicalCodes[i].type];
        if (range.begin == range.end) range.begin = static_cast<std::uint8_t>(i);
        range.end = static_cast<std::uint8_t>(i + 1);
    }
    return index;
}();

// RFC 6633 (Source Quench) and RFC 6918 (the rest).
constexpr bool is_deprecated_v4(std::uint8_t type) noexcept {
    return type == 4 || type == 6 || (type >= 15 && type <= 18) || (type >= 30 && type <= 39);
}

// v4: 19 reserved (security), 20-29 reserved (robustness experiment), 253/254 RFC 3692-style
// experiments, 255 reserved. v6: RFC 4443 2.1 private experimentation and expansion types.
constexpr bool is_experimental_or_reserved(Family family, std::uint8_t type) noexcept {
    if (family == v4) return (type >= 19 && type <= 29) || type >= 253;
    return type == 100 || type == 101 || type == 200 || type == 201 || type == 127 || type == 255;
}

}  // namespace

std::span<const IcmpTypeName> icmp_type_names() noexcept {
    return kTypeNames;
}
std::span<const IcmpCodeName> icmp_code_names() noexcept {
    return kCodeNames;
}

std::string_view icmp_type_name(Family family, std::uint8_t type) noexcept {
    const std::size_t row = kCanonicalTypeRow[family_index(family)][type];
    return row == kNoRow ? std::string_view{} : kTypeNames[row].name;
}

std::string_view icmp_code_name(Family family, std::uint8_t type, std::uint8_t code) noexcept {
    const CodeRange range = kCodeRanges[family_index(family)][type];
    for (std::size_t i = range.begin; i < range.end; ++i)
        if (kCanonicalCodes[i].code == code) return kCanonicalCodes[i].name;
    return {};
}

TypeStatus icmp_type_status(Family family, std::uint8_t type) noexcept {
    if (family == v4 && is_deprecated_v4(type)) return TypeStatus::deprecated;
    if (is_experimental_or_reserved(family, type)) return TypeStatus::experimental;
    return icmp_type_name(family, type).empty() ? TypeStatus::unassigned : TypeStatus::assigned;
}

std::optional<std::uint8_t> icmp_type_from_name(Family family, std::string_view name) noexcept {
    for (const IcmpTypeName& row : kTypeNames)
        if (row.family == family && row.name == name) return row.type;
    return std::nullopt;
}

std::optional<IcmpTypeCode> icmp_code_from_name(Family family, std::string_view name) noexcept {
    for (const IcmpCodeName& row : kCodeNames)
        if (row.family == family && row.name == name) return IcmpTypeCode{row.type, row.code};
    return std::nullopt;
}

}  // namespace icmpgate::decode
