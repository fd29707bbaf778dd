#pragma once
// The description of the policy language: for each object of a policy, its keys, and for
// each key its JSON type, bounds, names, whether it is required and (Key<Target>::read) how
// it is stored. The reader (rules/key_reader.h) checks every value against its description
// and writes every message about a wrong type, a bound or a name from it; the key tables
// (rules/*_keys.cc) hold the only spelling of each key; tests/rules/policy_schema_test.cc
// checks that docs/policy.schema.json says the same.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

namespace icmpgate::rules {

// The JSON types (RFC 8259 3) a value may have, as bits. A number may be an integer.
enum class JsonType : std::uint8_t {
    string = 1U << 0U,
    integer = 1U << 1U,
    number = 1U << 2U,
    boolean = 1U << 3U,
    object = 1U << 4U,
};
[[nodiscard]] constexpr std::uint8_t operator|(JsonType a, JsonType b) noexcept {
    return static_cast<std::uint8_t>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
[[nodiscard]] constexpr bool has_type(std::uint8_t types, JsonType type) noexcept {
    return (types & static_cast<std::uint8_t>(type)) != 0;
}

enum class Repetition : std::uint8_t {
    one,          // a single value
    one_or_list,  // a single value or a non-empty array of them
    list,         // an array, possibly empty
};

// How a string naming one of `names` is checked.
enum class NameCheck : std::uint8_t {
    none,
    choice,     // the reader: an unknown name is an error; the read function gets its index
    by_reader,  // the read function: the names depend on the rest of the object (ICMP names per family)
};

// Names written by users (rule ids, rate limit names): 1 to max_length characters from
// A-Z a-z 0-9 and `punctuation`.
struct NameSyntax {
    std::string_view what{};  // "rule id"
    std::size_t max_length{0};
    std::string_view punctuation{};  // "._:-"
};

struct KeyDescription;
struct MapSpec;

// The keys of an object, as a function so that tables in other files can refer to each other.
using KeyList = std::span<const KeyDescription> (*)();
using NameList = std::span<const std::string_view> (*)();

// One value: its JSON types, how often it may appear and what it may hold.
struct ValueSpec {
    std::uint8_t types{0};  // JsonType bits
    Repetition repetition{Repetition::one};
    std::string_view noun{};      // names the value in messages: "burst 0 is out of range 1..1000000"
    std::string_view expected{};  // "a type name or number"; empty: from `types` ("an integer")
    // Integers: the bounds (min == max: the one value this version reads).
    std::int64_t min{std::numeric_limits<std::int64_t>::min()};
    std::int64_t max{std::numeric_limits<std::int64_t>::max()};
    // Numbers: above `above` (exclusive) and at most `at_most`.
    double above{-std::numeric_limits<double>::infinity()};
    double at_most{std::numeric_limits<double>::infinity()};
    // Strings: the names a string may be, and who checks it.
    NameList names{nullptr};
    NameCheck name_check{NameCheck::none};
    const NameSyntax* syntax{nullptr};
    std::size_t min_length{0};  // strings, checked by the read function (interface names)
    std::size_t max_length{std::numeric_limits<std::size_t>::max()};
    // Objects: the keys of an object value, or the members of a map (free names).
    KeyList object{nullptr};
    const MapSpec* map{nullptr};
    // Lists.
    bool unique_items{false};       // checked by the read function ("rate limit 'x' is listed twice")
    std::string_view empty_list{};  // the message for []; empty: "an empty list matches nothing"
};

// An object whose member names are names (anomalies, rate limits) rather than keys: a name
// from `names` (an unknown one is an error and its value is not read: it has no meaning) or
// a name of `syntax` (a bad one is an error, and its value is read all the same).
struct MapSpec {
    std::string_view noun{};  // "anomaly"
    NameList names{nullptr};
    const NameSyntax* syntax{nullptr};
    ValueSpec value{};
};

// What a key of "match" (or of "embedded") does for the protection analysis.
enum class MatchRole : std::uint8_t {
    none,              // not a match key
    selects_messages,  // family, type, code: the (family, type, code) a rule matches
    condition,         // any further condition: CompiledMatch::for_each_condition() must visit it
};

struct KeyDescription {
    std::string_view name{};
    ValueSpec value{};
    bool required{false};
    MatchRole role{MatchRole::none};
    std::string_view example{};  // a JSON value of this key (match keys: one that restricts the rule)
};

// A key and how the reader stores it in its object's Target (KeyReader and Value in
// rules/key_reader.h).
class KeyReader;
struct Value;
template <typename Target>
struct Key {
    KeyDescription about{};
    void (*read)(KeyReader& reader, const Value& value, Target& target){nullptr};
};

// The descriptions of a key table, for tests and for the ValueSpec of the object holding it.
template <typename Target, std::size_t N>
[[nodiscard]] constexpr std::array<KeyDescription, N> descriptions_of(const std::array<Key<Target>, N>& keys) {
    std::array<KeyDescription, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = keys[i].about;
    return out;
}

// ---- ValueSpec builders ---------------------------------------------------------------

[[nodiscard]] constexpr ValueSpec string_value() noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::string)};
}
[[nodiscard]] constexpr ValueSpec boolean_value() noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::boolean)};
}
[[nodiscard]] constexpr ValueSpec integer_value(std::string_view noun, std::int64_t min, std::int64_t max) noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::integer), .noun = noun, .min = min, .max = max};
}
[[nodiscard]] constexpr ValueSpec number_value(std::string_view noun, double above, double at_most) noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::number), .noun = noun, .above = above, .at_most = at_most};
}
[[nodiscard]] constexpr ValueSpec choice_value(std::string_view noun, NameList names) noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::string),
            .noun = noun,
            .names = names,
            .name_check = NameCheck::choice};
}
[[nodiscard]] constexpr ValueSpec named_value(const NameSyntax& syntax) noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::string), .syntax = &syntax};
}
[[nodiscard]] constexpr ValueSpec object_value(KeyList keys) noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::object), .object = keys};
}
[[nodiscard]] constexpr ValueSpec map_value(const MapSpec& map) noexcept {
    return {.types = static_cast<std::uint8_t>(JsonType::object), .map = &map};
}
// One value of `item`, or a non-empty list of them.
[[nodiscard]] constexpr ValueSpec one_or_list(ValueSpec item) noexcept {
    item.repetition = Repetition::one_or_list;
    return item;
}
[[nodiscard]] constexpr ValueSpec list_of(ValueSpec item) noexcept {
    item.repetition = Repetition::list;
    return item;
}

}  // namespace icmpgate::rules
