#include "rules/key_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "rules/name_suggestion.h"

namespace icmpgate::rules {
namespace {

// A choice among this many names or fewer is spelled out when no name is close; a longer list
// (protocols, anomalies) would drown the message.
constexpr std::size_t kMaxListedChoices = 4;

std::string key_quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

bool has_json_type(const PolicyJson& json, std::uint8_t types) {
    switch (json.type()) {
        case PolicyJson::value_t::string:
            return has_type(types, JsonType::string);
        case PolicyJson::value_t::number_integer:
        case PolicyJson::value_t::number_unsigned:
            return has_type(types, JsonType::integer) || has_type(types, JsonType::number);
        case PolicyJson::value_t::number_float:
            return has_type(types, JsonType::number);
        case PolicyJson::value_t::boolean:
            return has_type(types, JsonType::boolean);
        case PolicyJson::value_t::object:
            return has_type(types, JsonType::object);
        default:
            return false;
    }
}

std::string expected_text(const ValueSpec& spec) {
    if (!spec.expected.empty()) return std::string(spec.expected);
    std::string out;
    const auto add = [&](JsonType type, std::string_view text) {
        if (!has_type(spec.types, type)) return;
        if (!out.empty()) out += " or ";
        out += text;
    };
    add(JsonType::string, "a string");
    add(JsonType::integer, "an integer");
    add(JsonType::number, "a number");
    add(JsonType::boolean, "a boolean");
    add(JsonType::object, "an object");
    return out;
}

// 1e9 -> "1000000000": bounds are printed as the constants hold them, whole numbers whole.
std::string number_text(double value) {
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 1e15)
        return std::to_string(static_cast<std::int64_t>(value));
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.17g", value);
    return text.data();
}

std::string out_of_range(const ValueSpec& spec, const PolicyJson& json) {
    const std::string noun(spec.noun);
    if (spec.min == spec.max)
        return "unsupported " + noun + " " + json.dump() + "; this icmpgate reads " + noun + " " +
               std::to_string(spec.min);
    return noun + " " + json.dump() + " is out of range " + std::to_string(spec.min) + ".." + std::to_string(spec.max);
}

std::string number_out_of_range(const ValueSpec& spec, const PolicyJson& json) {
    std::string bounds;
    if (std::isfinite(spec.above)) bounds = "above " + number_text(spec.above);
    if (std::isfinite(spec.at_most))
        bounds += (bounds.empty() ? "at most " : " and at most ") + number_text(spec.at_most);
    return std::string(spec.noun) + " " + json.dump() + " is out of range: it must be " + bounds;
}

std::string unknown_name(std::string_view noun, const std::string& name, std::span<const std::string_view> names) {
    std::string hint = suggestion(name, names);
    if (hint.empty() && names.size() <= kMaxListedChoices) {
        hint = "; expected ";
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0) hint += i + 1 == names.size() ? " or " : ", ";
            hint += quote(names[i]);
        }
    }
    return "unknown " + std::string(noun) + " " + quote(name) + hint;
}

bool in_syntax(char c, std::string_view punctuation) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           punctuation.find(c) != std::string_view::npos;
}

}  // namespace

std::string quote(std::string_view text) {
    return "'" + std::string(text) + "'";
}

std::string suggestion(std::string_view wrong, std::span<const std::string_view> candidates, bool as_key) {
    const std::optional<std::string_view> best = nearest_name(wrong, candidates);
    if (!best) return {};
    return "; did you mean " + (as_key ? key_quote(*best) : quote(*best)) + "?";
}

std::string describe(const PolicyJson& value) {
    switch (value.type()) {
        case PolicyJson::value_t::null:
            return "null";
        case PolicyJson::value_t::boolean:
            return value.get<bool>() ? "boolean true" : "boolean false";
        case PolicyJson::value_t::number_integer:
        case PolicyJson::value_t::number_unsigned:
        case PolicyJson::value_t::number_float:
            return "number " + value.dump();
        case PolicyJson::value_t::string:
            return "string " + quote(value.get_ref<const std::string&>());
        case PolicyJson::value_t::array:
            return "an array";
        case PolicyJson::value_t::object:
            return "an object";
        default:
            return "a binary value";
    }
}

std::string name_syntax_fault(std::string_view name, const NameSyntax& syntax) {
    const bool valid = !name.empty() && name.size() <= syntax.max_length &&
                       std::all_of(name.begin(), name.end(), [&](char c) { return in_syntax(c, syntax.punctuation); });
    if (valid) return {};
    std::string allowed = "A-Z a-z 0-9";
    for (const char c : syntax.punctuation) (allowed += ' ') += c;
    return quote(name) + " is not a valid " + std::string(syntax.what) + ": use 1 to " +
           std::to_string(syntax.max_length) + " characters from " + allowed;
}

std::string name_syntax_pattern(const NameSyntax& syntax) {
    return "^[A-Za-z0-9" + std::string(syntax.punctuation) + "]{1," + std::to_string(syntax.max_length) + "}$";
}

void KeyReader::error(const std::string& pointer, std::string message) {
    sink_.error(pointer, std::move(message), rule_id_);
}

void KeyReader::error_at_name(const std::string& pointer, std::string message) {
    sink_.error(pointer, std::move(message), rule_id_, PointerTarget::member_name);
}

void KeyReader::warning(const std::string& pointer, std::string message) {
    sink_.warning(pointer, std::move(message), rule_id_);
}

std::optional<Value> KeyReader::check(const PolicyJson& json, const std::string& pointer, const ValueSpec& spec) {
    if (!has_json_type(json, spec.types)) {
        error(pointer, "expected " + expected_text(spec) + ", got " + describe(json));
        return std::nullopt;
    }
    Value value{json, pointer, spec};
    if (json.is_number()) {
        if (has_type(spec.types, JsonType::number)) {
            value.number = json.get<double>();
            if (!(value.number > spec.above) || value.number > spec.at_most) {
                error(pointer, number_out_of_range(spec, json));
                return std::nullopt;
            }
            return value;
        }
        // Larger than any int64: out of every range the description can state.
        value.integer =
            json.is_number_unsigned() && json.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()
                ? std::numeric_limits<std::int64_t>::max()
                : json.get<std::int64_t>();
        if (value.integer < spec.min || value.integer > spec.max) {
            error(pointer, out_of_range(spec, json));
            return std::nullopt;
        }
        return value;
    }
    if (json.is_string()) {
        const std::string& text = json.get_ref<const std::string&>();
        if (spec.name_check == NameCheck::choice) {
            const std::span<const std::string_view> names = spec.names();
            const auto it = std::find(names.begin(), names.end(), text);
            if (it == names.end()) {
                error(pointer, unknown_name(spec.noun, text, names));
                return std::nullopt;
            }
            value.choice = static_cast<std::size_t>(it - names.begin());
        }
        if (spec.syntax != nullptr) {
            if (std::string fault = name_syntax_fault(text, *spec.syntax); !fault.empty()) {
                error(pointer, std::move(fault));
                return std::nullopt;
            }
        }
    }
    return value;
}

bool KeyReader::check_member_name(const std::string& name, const std::string& pointer, const MapSpec& map) {
    if (map.names != nullptr) {
        const std::span<const std::string_view> names = map.names();
        if (std::find(names.begin(), names.end(), name) != names.end()) return true;
        error_at_name(pointer, unknown_name(map.noun, name, names));
        return false;
    }
    if (map.syntax != nullptr) {
        if (std::string fault = name_syntax_fault(name, *map.syntax); !fault.empty()) {
            error_at_name(pointer, std::move(fault));
            return false;
        }
    }
    return true;
}

bool KeyReader::expect_object(const PolicyJson& json, const std::string& pointer) {
    if (json.is_object()) return true;
    error(pointer, "expected an object, got " + describe(json));
    return false;
}

void KeyReader::expect_array(const PolicyJson& json, const std::string& pointer) {
    error(pointer, "expected an array, got " + describe(json));
}

void KeyReader::missing_key(const std::string& pointer, std::string_view key) {
    error(pointer, "missing required key " + key_quote(key));
}

void KeyReader::report_unknown_keys(const PolicyJson& object, const std::string& pointer,
                                    std::span<const std::string_view> keys) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        error_at_name(pointer_child(pointer, key), "unknown key " + key_quote(key) + suggestion(key, keys, true));
    }
}

std::string_view KeyReader::empty_list_message(const ValueSpec& spec) {
    return spec.empty_list.empty() ? std::string_view("an empty list matches nothing") : spec.empty_list;
}

}  // namespace icmpgate::rules
