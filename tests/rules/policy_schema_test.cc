// docs/policy.schema.json is for editors; the key tables (rules/policy_keys.h) are what the
// loader reads. They must agree: the same keys at every level, the same required keys, and
// the same JSON types, bounds, names and list shapes wherever the schema states them
// (patterns where the tables state a name syntax). The names of ICMP types and codes and of
// anomalies are also checked against their catalogues.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "filter/decode/anomaly.h"
#include "filter/decode/icmp_catalogue.h"
#include "rules/key_reader.h"
#include "rules/policy_reader.h"
#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

// A boolean schema keyword, or `absent` when the node does not have it. (Not json::value():
// GCC 12 at -O2 reports a false null dereference inside it.)
bool flag(const nlohmann::json& node, const char* keyword, bool absent) {
    const auto it = node.find(keyword);
    return it == node.end() ? absent : !(it->is_boolean() && !it->get<bool>());
}

using Json = nlohmann::json;

Json schema() {
    std::ifstream in(test::repository_root() / "docs/policy.schema.json");
    return Json::parse(in);
}

std::set<std::string> strings_of(const Json& array) {
    std::set<std::string> out;
    for (const auto& v : array) out.insert(v.get<std::string>());
    return out;
}

std::string join(const std::set<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

// What a schema says about one value (a oneOf of alternatives flattened), and separately
// about the elements of an array alternative.
struct SchemaFacts {
    std::set<std::string> types;  // "string", "integer", "number", "boolean", "object"
    std::set<std::string> names;  // enum
    std::optional<std::int64_t> minimum;
    std::optional<std::int64_t> maximum;
    std::optional<double> exclusive_minimum;
    std::optional<double> number_maximum;
    std::optional<std::size_t> min_length;
    std::optional<std::size_t> max_length;
    std::optional<std::string> pattern;
    const Json* object{nullptr};  // an object alternative
    bool array{false};
    bool non_empty_array{false};
    bool unique_items{false};
    const Json* items{nullptr};
};

class Comparison {
public:
    explicit Comparison(const Json& schema) : schema_(schema) {}

    std::vector<std::string> run() {
        compare_object(schema_, policy_keys(), "");
        return faults_;
    }

private:
    const Json& resolve(const Json& node) const {
        if (!node.contains("$ref")) return node;
        const std::string ref = node["$ref"].get<std::string>();  // "#/definitions/x"
        return resolve(schema_.at(Json::json_pointer(ref.substr(1))));
    }

    void collect(const Json& raw, SchemaFacts& facts) const {
        const Json& node = resolve(raw);
        if (node.contains("oneOf")) {
            for (const Json& alternative : node["oneOf"]) collect(alternative, facts);
            return;
        }
        if (node.contains("enum")) {
            facts.types.insert("string");
            for (const Json& name : node["enum"]) facts.names.insert(name.get<std::string>());
        }
        if (node.contains("const")) {
            facts.types.insert("integer");
            facts.minimum = facts.maximum = node["const"].get<std::int64_t>();
        }
        if (!node.contains("type")) return;
        const std::string type = node["type"].get<std::string>();
        if (type == "array") {
            facts.array = true;
            facts.non_empty_array = node.contains("minItems") && node["minItems"] == 1;
            facts.unique_items = flag(node, "uniqueItems", false);
            facts.items = &node["items"];
            return;
        }
        facts.types.insert(type);
        if (type == "integer") {
            if (node.contains("minimum")) facts.minimum = node["minimum"].get<std::int64_t>();
            if (node.contains("maximum")) facts.maximum = node["maximum"].get<std::int64_t>();
        } else if (type == "number") {
            if (node.contains("exclusiveMinimum")) facts.exclusive_minimum = node["exclusiveMinimum"].get<double>();
            if (node.contains("maximum")) facts.number_maximum = node["maximum"].get<double>();
        } else if (type == "string") {
            if (node.contains("minLength")) facts.min_length = node["minLength"].get<std::size_t>();
            if (node.contains("maxLength")) facts.max_length = node["maxLength"].get<std::size_t>();
            if (node.contains("pattern")) facts.pattern = node["pattern"].get<std::string>();
        } else if (type == "object") {
            facts.object = &node;
        }
    }

    void fault(const std::string& where, const std::string& what) {
        faults_.push_back((where.empty() ? "(top level)" : where) + ": " + what);
    }

    void compare_object(const Json& raw, std::span<const KeyDescription> keys, const std::string& where) {
        const Json& node = resolve(raw);
        if (flag(node, "additionalProperties", true)) fault(where, "the schema allows other keys");
        std::set<std::string> in_schema;
        if (node.contains("properties"))
            for (const auto& [name, value] : node["properties"].items()) in_schema.insert(name);
        std::set<std::string> in_tables;
        std::set<std::string> required_in_tables;
        for (const KeyDescription& key : keys) {
            in_tables.emplace(key.name);
            if (key.required) required_in_tables.emplace(key.name);
        }
        std::set<std::string> only_schema;
        std::set<std::string> only_tables;
        std::set_difference(in_schema.begin(), in_schema.end(), in_tables.begin(), in_tables.end(),
                            std::inserter(only_schema, only_schema.end()));
        std::set_difference(in_tables.begin(), in_tables.end(), in_schema.begin(), in_schema.end(),
                            std::inserter(only_tables, only_tables.end()));
        if (!only_schema.empty()) fault(where, "keys only in the schema: " + join(only_schema));
        if (!only_tables.empty()) fault(where, "keys only in the key tables: " + join(only_tables));
        const std::set<std::string> required_in_schema =
            node.contains("required") ? strings_of(node["required"]) : std::set<std::string>{};
        if (required_in_schema != required_in_tables)
            fault(where,
                  "required: schema {" + join(required_in_schema) + "}, key tables {" + join(required_in_tables) + "}");
        for (const KeyDescription& key : keys) {
            const std::string name(key.name);
            if (in_schema.count(name) != 0) compare_value(node["properties"][name], key.value, where + "/" + name);
        }
    }

    void compare_value(const Json& node, const ValueSpec& spec, const std::string& where) {
        SchemaFacts facts;
        collect(node, facts);
        const bool list = spec.repetition != Repetition::one;
        if (facts.array != list) fault(where, list ? "the schema takes no list" : "the schema takes a list");
        if (spec.repetition == Repetition::one_or_list && !facts.non_empty_array)
            fault(where, "the schema's list may be empty");
        if (facts.unique_items != spec.unique_items) fault(where, "uniqueItems differs");
        if (spec.repetition == Repetition::list) {
            if (!facts.types.empty()) fault(where, "the schema takes a single value too");
            if (facts.items != nullptr) compare_single(*facts.items, spec, where + "/*");
            return;
        }
        compare_facts(facts, spec, where);
        if (facts.items != nullptr) compare_single(*facts.items, spec, where + "/*");
    }

    void compare_single(const Json& node, const ValueSpec& spec, const std::string& where) {
        SchemaFacts facts;
        collect(node, facts);
        if (facts.array) fault(where, "the schema nests a list");
        compare_facts(facts, spec, where);
    }

    void compare_facts(const SchemaFacts& facts, const ValueSpec& spec, const std::string& where) {
        std::set<std::string> types;
        if (has_type(spec.types, JsonType::string)) types.insert("string");
        if (has_type(spec.types, JsonType::integer)) types.insert("integer");
        if (has_type(spec.types, JsonType::number)) types.insert("number");
        if (has_type(spec.types, JsonType::boolean)) types.insert("boolean");
        if (has_type(spec.types, JsonType::object)) types.insert("object");
        if (facts.types != types)
            fault(where, "types: schema {" + join(facts.types) + "}, key tables {" + join(types) + "}");
        if (has_type(spec.types, JsonType::integer) && (facts.minimum != spec.min || facts.maximum != spec.max))
            fault(where, "integer bounds: schema " + std::to_string(facts.minimum.value_or(-1)) + ".." +
                             std::to_string(facts.maximum.value_or(-1)) + ", key tables " + std::to_string(spec.min) +
                             ".." + std::to_string(spec.max));
        if (has_type(spec.types, JsonType::number) && (facts.exclusive_minimum.value_or(-INFINITY) != spec.above ||
                                                       facts.number_maximum.value_or(INFINITY) != spec.at_most))
            fault(where, "number bounds differ");
        if (spec.names != nullptr) {
            const std::span<const std::string_view> names = spec.names();
            const std::set<std::string> tables(names.begin(), names.end());
            if (facts.names != tables)
                fault(where, "names: schema {" + join(facts.names) + "}, key tables {" + join(tables) + "}");
        } else if (!facts.names.empty()) {
            fault(where, "the schema lists names, the key tables none");
        }
        const auto stated = [](std::size_t value, std::size_t unset) -> std::optional<std::size_t> {
            return value == unset ? std::nullopt : std::optional<std::size_t>(value);
        };
        if (facts.min_length != stated(spec.min_length, 0) ||
            facts.max_length != stated(spec.max_length, std::numeric_limits<std::size_t>::max()))
            fault(where, "string length bounds differ");
        if (spec.syntax != nullptr && facts.pattern != name_syntax_pattern(*spec.syntax))
            fault(where, "pattern: schema " + facts.pattern.value_or("none") + ", key tables " +
                             name_syntax_pattern(*spec.syntax));
        if (spec.object != nullptr) {
            if (facts.object == nullptr) {
                fault(where, "the schema takes no object");
            } else {
                compare_object(*facts.object, spec.object(), where);
            }
        }
        if (spec.map != nullptr) {
            if (facts.object == nullptr) {
                fault(where, "the schema takes no object");
            } else {
                compare_map(*facts.object, *spec.map, where);
            }
        }
    }

    void compare_map(const Json& node, const MapSpec& map, const std::string& where) {
        if (map.names != nullptr) {
            // Members named from a list: each one a property of the same value.
            if (flag(node, "additionalProperties", true)) fault(where, "the schema allows other names");
            std::set<std::string> in_schema;
            for (const auto& [name, value] : node["properties"].items()) {
                in_schema.insert(name);
                compare_value(value, map.value, where + "/" + name);
            }
            const std::span<const std::string_view> names = map.names();
            const std::set<std::string> tables(names.begin(), names.end());
            if (in_schema != tables)
                fault(where, "names: schema {" + join(in_schema) + "}, key tables {" + join(tables) + "}");
            return;
        }
        const std::optional<std::string> pattern =
            node.contains("propertyNames") ? std::optional(node["propertyNames"]["pattern"].get<std::string>())
                                           : std::nullopt;
        if (map.syntax != nullptr && pattern != name_syntax_pattern(*map.syntax))
            fault(where, "name pattern: schema " + pattern.value_or("none") + ", key tables " +
                             name_syntax_pattern(*map.syntax));
        if (!node.contains("additionalProperties") || !node["additionalProperties"].is_object()) {
            fault(where, "the schema says nothing of the members");
            return;
        }
        compare_value(node["additionalProperties"], map.value, where + "/*");
    }

    const Json& schema_;
    std::vector<std::string> faults_;
};

std::vector<std::string> disagreements(const Json& schema) {
    return Comparison(schema).run();
}

BOOST_AUTO_TEST_SUITE(policy_schema)

BOOST_AUTO_TEST_CASE(schema_and_key_tables_agree_at_every_level) {
    BOOST_TEST(disagreements(schema()) == std::vector<std::string>{}, boost::test_tools::per_element());
}

// The comparison itself: a key, a bound, a requirement or a name changed on either side is seen.
BOOST_AUTO_TEST_CASE(a_key_only_one_side_has_is_a_disagreement) {
    Json extra = schema();
    extra["definitions"]["match"]["properties"]["ttl"] = {{"type", "integer"}};
    BOOST_TEST(disagreements(extra) == std::vector<std::string>{"/rules/*/match: keys only in the schema: ttl"},
               boost::test_tools::per_element());

    Json missing = schema();
    missing["definitions"]["match"]["properties"]["embedded"]["properties"].erase("source_port");
    BOOST_TEST(disagreements(missing) ==
                   std::vector<std::string>{"/rules/*/match/embedded: keys only in the key tables: source_port"},
               boost::test_tools::per_element());

    Json top = schema();
    top["properties"].erase("$schema");
    BOOST_TEST(disagreements(top) == std::vector<std::string>{"(top level): keys only in the key tables: $schema"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bounds_requirements_types_and_names_are_compared) {
    Json bound = schema();
    bound["definitions"]["rateLimit"]["properties"]["burst"]["maximum"] = 999999;
    BOOST_TEST(
        disagreements(bound) ==
            std::vector<std::string>{"/rate_limits/*/burst: integer bounds: schema 1..999999, key tables 1..1000000"},
        boost::test_tools::per_element());

    Json required = schema();
    required["definitions"]["rule"]["required"] = {"id", "match"};
    BOOST_TEST(disagreements(required) ==
                   std::vector<std::string>{"/rules/*: required: schema {id, match}, key tables {id, match, verdict}"},
               boost::test_tools::per_element());

    Json type = schema();
    type["definitions"]["rule"]["properties"]["log"] = {{"type", "string"}};
    BOOST_TEST(
        disagreements(type) == std::vector<std::string>{"/rules/*/log: types: schema {string}, key tables {boolean}"},
        boost::test_tools::per_element());

    Json names = schema();
    names["definitions"]["match"]["properties"]["family"]["enum"].push_back("ipv5");
    BOOST_TEST(disagreements(names) ==
                   std::vector<std::string>{
                       "/rules/*/match/family: names: schema {ipv4, ipv5, ipv6}, key tables {ipv4, ipv6}"},
               boost::test_tools::per_element());

    Json rate = schema();
    rate["definitions"]["rateLimit"]["properties"]["rate"]["maximum"] = 1e6;
    BOOST_TEST(disagreements(rate) == std::vector<std::string>{"/rate_limits/*/rate: number bounds differ"},
               boost::test_tools::per_element());

    Json pattern = schema();
    pattern["definitions"]["rule"]["properties"]["id"]["pattern"] = "^[A-Za-z0-9._-]{1,64}$";
    BOOST_TEST(disagreements(pattern).size() == 1U);
}

BOOST_AUTO_TEST_CASE(schema_type_names_are_the_catalogue_type_names) {
    std::set<std::string> catalogue;
    for (const decode::IcmpTypeName& row : decode::icmp_type_names()) catalogue.emplace(row.name);
    BOOST_TEST(strings_of(schema()["definitions"]["typeName"]["enum"]) == catalogue, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(schema_code_names_are_the_catalogue_code_names) {
    std::set<std::string> catalogue;
    for (const decode::IcmpCodeName& row : decode::icmp_code_names()) catalogue.emplace(row.name);
    BOOST_TEST(strings_of(schema()["definitions"]["codeName"]["enum"]) == catalogue, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(schema_anomalies_are_the_anomaly_table) {
    std::set<std::string> table;
    for (const decode::AnomalyInfo& info : decode::kAnomalies) table.emplace(info.name);
    const Json document = schema();
    std::set<std::string> listed;
    for (const auto& [name, value] : document["properties"]["anomalies"]["properties"].items()) listed.insert(name);
    BOOST_TEST(listed == table, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
