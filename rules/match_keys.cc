#include "rules/match_keys.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "filter/decode/icmp_catalogue.h"
#include "filter/decode/packet_meta.h"
#include "rules/cidr.h"
#include "rules/icmp_value_reader.h"
#include "rules/match_compiler.h"
#include "rules/port_range.h"

namespace icmpgate::rules {
namespace {

using decode::Family;

constexpr std::int64_t kByteMax = 255;
constexpr std::int64_t kPayloadMax = std::numeric_limits<std::uint32_t>::max();
constexpr std::array<Family, 2> kBothFamilies{Family::ipv4, Family::ipv6};

constexpr std::array<std::string_view, 2> kFamilyNames{"ipv4", "ipv6"};

// The keys the checks across keys name.
constexpr std::string_view kFamilyKey = "family";
constexpr std::string_view kTypeKey = "type";
constexpr std::string_view kCodeKey = "code";

struct ProtocolName {
    std::string_view name;
    std::uint8_t number;
};
// IANA protocol numbers of what an ICMP error may quote.
constexpr auto kProtocols = std::to_array<ProtocolName>({
    {"icmp", 1},
    {"tcp", 6},
    {"udp", 17},
    {"dccp", 33},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"ipv6-icmp", 58},
    {"icmpv6", 58},
    {"sctp", 132},
    {"udplite", 136},
});
constexpr auto kProtocolNames = [] {
    std::array<std::string_view, kProtocols.size()> out{};
    for (std::size_t i = 0; i < kProtocols.size(); ++i) out[i] = kProtocols[i].name;
    return out;
}();

// Linux dev_valid_name(): not empty, not "." or "..", no '/', ':' or whitespace.
bool valid_interface_name(std::string_view name) {
    if (name == "." || name == "..") return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    });
}

// ---- values shared by several keys ----------------------------------------------------

constexpr ValueSpec kPrefixes = one_or_list(string_value());

constexpr ValueSpec kInterfaces = one_or_list(ValueSpec{
    .types = static_cast<std::uint8_t>(JsonType::string), .min_length = 1, .max_length = decode::kInterfaceNameMax});

constexpr ValueSpec kPorts = one_or_list(ValueSpec{.types = JsonType::integer | JsonType::string,
                                                   .noun = "port",
                                                   .expected = "a port number or a \"first-last\" string",
                                                   .min = 0,
                                                   .max = kPortMax});

std::span<const std::string_view> type_names() {
    return icmp_names(IcmpField::type);
}
std::span<const std::string_view> code_names() {
    return icmp_names(IcmpField::code);
}

constexpr ValueSpec icmp_spec(IcmpField field) {
    const bool type = field == IcmpField::type;
    return one_or_list(ValueSpec{.types = JsonType::integer | JsonType::string,
                                 .noun = type ? "type" : "code",
                                 .expected = type ? "a type name or number" : "a code name or number",
                                 .min = 0,
                                 .max = kByteMax,
                                 .names = type ? &type_names : &code_names,
                                 .name_check = NameCheck::by_reader});
}

void read_prefix(KeyReader& reader, const Value& value, std::optional<std::vector<Prefix>>& out) {
    if (!out) out.emplace();
    std::variant<Prefix, std::string> parsed = parse_cidr(value.text());
    if (auto* message = std::get_if<std::string>(&parsed)) {
        reader.error(value.pointer, std::move(*message));
        return;
    }
    out->push_back(std::get<Prefix>(parsed));
}

void read_interface(KeyReader& reader, const Value& value, std::optional<std::vector<InterfacePattern>>& out) {
    if (!out) out.emplace();
    const std::string& text = value.text();
    if (text.size() < value.spec.min_length) {
        reader.error(value.pointer, "an interface name cannot be empty");
        return;
    }
    if (text.size() > value.spec.max_length) {
        reader.error(value.pointer,
                     quote(text) + " is longer than " + std::to_string(value.spec.max_length) + " characters");
        return;
    }
    // A trailing '+' matches every name with that prefix, as in iptables.
    const bool prefix = text.back() == '+';
    const std::string_view name = prefix ? std::string_view(text).substr(0, text.size() - 1) : std::string_view(text);
    if (!valid_interface_name(name) || name.find('+') != std::string_view::npos) {
        reader.error(value.pointer, quote(text) + " is not a valid interface name");
        return;
    }
    out->push_back({decode::InterfaceName::from(name), prefix});
}

void read_port(KeyReader& reader, const Value& value, std::optional<std::vector<PortRange>>& out) {
    if (!out) out.emplace();
    if (!value.json.is_string()) {
        const auto port = static_cast<std::uint16_t>(value.integer);
        out->push_back({port, port});
        return;
    }
    std::variant<PortRange, std::string> parsed = parse_port_range(value.text());
    if (auto* message = std::get_if<std::string>(&parsed)) {
        reader.error(value.pointer, std::move(*message));
        return;
    }
    out->push_back(std::get<PortRange>(parsed));
}

// ---- "payload_size" ---------------------------------------------------------------------

struct PayloadReading {
    std::optional<std::uint32_t> min;
    std::optional<std::uint32_t> max;
};

constexpr std::array kPayloadKeys{
    Key<PayloadReading>{
        {"min", integer_value("min", 0, kPayloadMax)},
        [](KeyReader&, const Value& v, PayloadReading& p) { p.min = static_cast<std::uint32_t>(v.integer); }},
    Key<PayloadReading>{
        {"max", integer_value("max", 0, kPayloadMax)},
        [](KeyReader&, const Value& v, PayloadReading& p) { p.max = static_cast<std::uint32_t>(v.integer); }},
};
constexpr auto kPayloadDescriptions = descriptions_of(kPayloadKeys);

// ---- "embedded" -------------------------------------------------------------------------

constexpr std::array kEmbeddedKeys{
    Key<EmbeddedDocument>{
        {"protocol",
         one_or_list(ValueSpec{.types = JsonType::integer | JsonType::string,
                               .noun = "protocol",
                               .expected = "a protocol name or number",
                               .min = 0,
                               .max = kByteMax,
                               .names = [] { return std::span<const std::string_view>(kProtocolNames); },
                               .name_check = NameCheck::choice}),
         false, MatchRole::condition, R"("udp")"},
        [](KeyReader&, const Value& v, EmbeddedDocument& e) {
            if (!e.protocols) e.protocols.emplace();
            e.protocols->push_back(v.json.is_string() ? kProtocols[v.choice].number
                                                      : static_cast<std::uint8_t>(v.integer));
        }},
    // The quote has the family of the packet carrying it, so its prefixes restrict the rule too.
    Key<EmbeddedDocument>{{"source", kPrefixes, false, MatchRole::condition, R"("192.0.2.0/24")"},
                          [](KeyReader& r, const Value& v, EmbeddedDocument& e) { read_prefix(r, v, e.source); }},
    Key<EmbeddedDocument>{{"destination", kPrefixes, false, MatchRole::condition, R"("2001:db8::/32")"},
                          [](KeyReader& r, const Value& v, EmbeddedDocument& e) { read_prefix(r, v, e.destination); }},
    Key<EmbeddedDocument>{{"source_port", kPorts, false, MatchRole::condition, "53"},
                          [](KeyReader& r, const Value& v, EmbeddedDocument& e) { read_port(r, v, e.source_port); }},
    Key<EmbeddedDocument>{
        {"destination_port", kPorts, false, MatchRole::condition, R"("1024-65535")"},
        [](KeyReader& r, const Value& v, EmbeddedDocument& e) { read_port(r, v, e.destination_port); }},
};
constexpr auto kEmbeddedDescriptions = descriptions_of(kEmbeddedKeys);

// ---- "match" ----------------------------------------------------------------------------

struct MatchReading {
    MatchDocument match;
    bool family_given{false};  // "family" is in the object (it may not have been readable)

    [[nodiscard]] RuleFamilies families() const {
        if (match.family) return {std::span(kBothFamilies).subspan(family_index(*match.family), 1), true};
        return {kBothFamilies, !family_given};
    }
};

void read_icmp(KeyReader& reader, const Value& value, IcmpField field, MatchReading& m) {
    std::optional<std::vector<IcmpValue>>& list = field == IcmpField::type ? m.match.types : m.match.codes;
    if (!list) list.emplace();
    if (std::optional<IcmpValue> read = read_icmp_value(reader, value, field, m.families()))
        list->push_back(std::move(*read));
}

// The keys are read in this order: "family" before the names it resolves.
constexpr std::array kMatchKeys{
    Key<MatchReading>{
        {kFamilyKey, choice_value("family", [] { return std::span<const std::string_view>(kFamilyNames); }), false,
         MatchRole::selects_messages, R"("ipv6")"},
        [](KeyReader&, const Value& v, MatchReading& m) { m.match.family = kBothFamilies[v.choice]; }},
    Key<MatchReading>{{kTypeKey, icmp_spec(IcmpField::type), false, MatchRole::selects_messages, R"("echo-request")"},
                      [](KeyReader& r, const Value& v, MatchReading& m) { read_icmp(r, v, IcmpField::type, m); }},
    Key<MatchReading>{
        {kCodeKey, icmp_spec(IcmpField::code), false, MatchRole::selects_messages, R"("port-unreachable")"},
        [](KeyReader& r, const Value& v, MatchReading& m) { read_icmp(r, v, IcmpField::code, m); }},
    Key<MatchReading>{{"source", kPrefixes, false, MatchRole::condition, R"("192.0.2.0/24")"},
                      [](KeyReader& r, const Value& v, MatchReading& m) { read_prefix(r, v, m.match.source); }},
    Key<MatchReading>{{"destination", kPrefixes, false, MatchRole::condition, R"("2001:db8::/32")"},
                      [](KeyReader& r, const Value& v, MatchReading& m) { read_prefix(r, v, m.match.destination); }},
    Key<MatchReading>{
        {"in_interface", kInterfaces, false, MatchRole::condition, R"("eth0")"},
        [](KeyReader& r, const Value& v, MatchReading& m) { read_interface(r, v, m.match.in_interface); }},
    Key<MatchReading>{
        {"out_interface", kInterfaces, false, MatchRole::condition, R"("wg+")"},
        [](KeyReader& r, const Value& v, MatchReading& m) { read_interface(r, v, m.match.out_interface); }},
    Key<MatchReading>{
        {"payload_size", object_value([] { return std::span<const KeyDescription>(kPayloadDescriptions); }), false,
         MatchRole::condition, R"({"max": 64})"},
        [](KeyReader& r, const Value& v, MatchReading& m) {
            PayloadReading payload;
            if (!r.read_object(v.json, v.pointer, kPayloadKeys, payload)) return;
            if (payload.min && payload.max && *payload.min > *payload.max) {
                r.error(v.pointer,
                        "min " + std::to_string(*payload.min) + " is greater than max " + std::to_string(*payload.max));
                return;
            }
            m.match.payload_min = payload.min;
            m.match.payload_max = payload.max;
        }},
    Key<MatchReading>{{"embedded", object_value([] { return std::span<const KeyDescription>(kEmbeddedDescriptions); }),
                       false, MatchRole::condition, R"({"protocol": "udp"})"},
                      [](KeyReader& r, const Value& v, MatchReading& m) {
                          EmbeddedDocument embedded;
                          if (r.read_object(v.json, v.pointer, kEmbeddedKeys, embedded))
                              m.match.embedded = std::move(embedded);
                      }},
};
constexpr auto kMatchDescriptions = descriptions_of(kMatchKeys);

// Every condition key has a member in the compiled match that the protection analysis visits
// (CompiledMatch::for_each_condition); tests/rules/match_keys_test.cc checks that each one,
// given its example, makes a rule conditional there.
constexpr std::size_t count_conditions(std::span<const KeyDescription> keys) {
    return static_cast<std::size_t>(std::count_if(
        keys.begin(), keys.end(), [](const KeyDescription& k) { return k.role == MatchRole::condition; }));
}
static_assert(count_conditions(kMatchDescriptions) == CompiledMatch::kConditionCount,
              "a match key that is a condition needs a CompiledMatch member listed in for_each_condition()");
static_assert(count_conditions(kEmbeddedDescriptions) == EmbeddedMatch::kConditionCount,
              "an embedded key needs an EmbeddedMatch member listed in for_each_condition()");

// A code name must belong to a type the rule matches (in some family where it is a code).
void check_code_owners(KeyReader& reader, const MatchReading& m) {
    const RuleFamilies rule = m.families();
    for (const IcmpValue& code : *m.match.codes) {
        if (code.is_number()) continue;
        bool owned = false;
        std::optional<Family> owner_family;
        for (const Family f : rule.families) {
            const std::optional<decode::IcmpTypeCode>& meaning = code.meaning[family_index(f)];
            if (!meaning) continue;
            if (!owner_family) owner_family = f;
            owned = owned || types_named(*m.match.types, f).test(meaning->type);
        }
        if (owned || !owner_family) continue;
        const std::uint8_t type = code.meaning[family_index(*owner_family)]->type;
        reader.error(code.pointer, "code " + quote(code.name) + " is a code of " +
                                       std::string(decode::icmp_type_name(*owner_family, type)) +
                                       ", which this rule does not match");
    }
}

}  // namespace

std::span<const KeyDescription> match_keys() {
    return kMatchDescriptions;
}
std::span<const KeyDescription> payload_size_keys() {
    return kPayloadDescriptions;
}
std::span<const KeyDescription> embedded_keys() {
    return kEmbeddedDescriptions;
}

void read_match(KeyReader& reader, const Value& value, MatchDocument& match) {
    const std::size_t errors_before = reader.error_count();
    MatchReading m;
    m.family_given = value.json.contains(kFamilyKey);
    // A "type" or "code" given counts as given even when none of its entries could be read:
    // the code names are still checked against the types.
    if (value.json.contains(kTypeKey)) m.match.types.emplace();
    if (value.json.contains(kCodeKey)) m.match.codes.emplace();
    if (!reader.read_object(value.json, value.pointer, kMatchKeys, m)) return;
    if (m.match.types && m.match.codes) check_code_owners(reader, m);
    if (reader.error_count() == errors_before) {
        const CompiledMatch compiled = compile_match(m.match);
        if (!compiled.families[0] && !compiled.families[1]) reader.error(value.pointer, "rule matches no packet");
    }
    match = std::move(m.match);
}

}  // namespace icmpgate::rules
