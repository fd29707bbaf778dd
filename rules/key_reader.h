#pragma once
// The reader of policy objects, driven by their key tables (rules/policy_keys.h): for each
// key of an object it checks presence, JSON type, bounds, names and list shape from the key's
// description, reports every fault with a message made from that description, and hands each
// value that passed to the key's read function. Unknown keys are faults, with the nearest key
// as a suggestion. Cold path.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rules/diagnostic_sink.h"
#include "rules/policy_json.h"
#include "rules/policy_keys.h"

namespace icmpgate::rules {

// A value that passed its description's checks, as a read function receives it.
struct Value {
    const PolicyJson& json;
    const std::string& pointer;  // RFC 6901 pointer to the value
    const ValueSpec& spec;
    std::int64_t integer{0};    // an integer value, within spec.min..spec.max
    double number{0};           // a number value, when the spec takes numbers
    std::size_t choice{0};      // a name of a NameCheck::choice spec: its index in spec.names()
    std::string_view member{};  // a map's member: its name

    [[nodiscard]] const std::string& text() const { return json.get_ref<const std::string&>(); }
};

class KeyReader {
public:
    explicit KeyReader(DiagnosticSink& sink) : sink_(sink) {}

    // Faults inside a rule carry its id once it is known ("rule 'x': ...").
    void set_rule_id(std::optional<std::string> id) { rule_id_ = std::move(id); }

    // At the value `pointer` names; at_name: at the member's name (a wrong key or name).
    void error(const std::string& pointer, std::string message);
    void error_at_name(const std::string& pointer, std::string message);
    void warning(const std::string& pointer, std::string message);
    [[nodiscard]] std::size_t error_count() const noexcept { return sink_.error_count(); }

    // Reads `object` key by key in table order, then reports the members the table lacks.
    // False when `object` is not an object.
    template <typename Target, std::size_t N>
    bool read_object(const PolicyJson& object, const std::string& pointer, const std::array<Key<Target>, N>& keys,
                     Target& target) {
        if (!expect_object(object, pointer)) return false;
        std::array<std::string_view, N> names{};
        for (std::size_t i = 0; i < N; ++i) {
            const KeyDescription& about = keys[i].about;
            names[i] = about.name;
            const auto member = object.find(about.name);
            if (member == object.end()) {
                if (about.required) missing_key(pointer, about.name);
                continue;
            }
            const auto read = keys[i].read;
            read_value(*member, pointer_child(pointer, about.name), about.value,
                       [&](const Value& value) { read(*this, value, target); });
        }
        report_unknown_keys(object, pointer, names);
        return true;
    }

    // Checks a value (each element of a list, each member of a map) against `spec` and calls
    // fn(const Value&) for each one that passed.
    template <typename Fn>
    void read_value(const PolicyJson& json, const std::string& pointer, const ValueSpec& spec, Fn&& fn) {
        if (spec.repetition == Repetition::one || (spec.repetition == Repetition::one_or_list && !json.is_array())) {
            read_single(json, pointer, spec, fn);
            return;
        }
        if (!json.is_array()) {
            expect_array(json, pointer);
            return;
        }
        if (json.empty() && spec.repetition == Repetition::one_or_list) {
            error(pointer, std::string(empty_list_message(spec)));
            return;
        }
        for (std::size_t i = 0; i < json.size(); ++i) read_single(json[i], pointer_child(pointer, i), spec, fn);
    }

private:
    template <typename Fn>
    void read_single(const PolicyJson& json, const std::string& pointer, const ValueSpec& spec, Fn& fn) {
        if (spec.map == nullptr) {
            if (std::optional<Value> value = check(json, pointer, spec)) fn(*value);
            return;
        }
        if (!expect_object(json, pointer)) return;
        for (const auto& [name, member] : json.items()) {
            const std::string member_pointer = pointer_child(pointer, name);
            if (!check_member_name(name, member_pointer, *spec.map) && spec.map->names != nullptr) continue;
            if (std::optional<Value> value = check(member, member_pointer, spec.map->value)) {
                value->member = name;
                fn(*value);
            }
        }
    }

    // The checks of one value; the value when it passed.
    std::optional<Value> check(const PolicyJson& json, const std::string& pointer, const ValueSpec& spec);
    bool check_member_name(const std::string& name, const std::string& pointer, const MapSpec& map);
    bool expect_object(const PolicyJson& json, const std::string& pointer);
    void expect_array(const PolicyJson& json, const std::string& pointer);
    void missing_key(const std::string& pointer, std::string_view key);
    void report_unknown_keys(const PolicyJson& object, const std::string& pointer,
                             std::span<const std::string_view> keys);
    static std::string_view empty_list_message(const ValueSpec& spec);

    DiagnosticSink& sink_;
    std::optional<std::string> rule_id_;
};

// ---- message pieces shared with the read functions ---------------------------------------

// 'text'
[[nodiscard]] std::string quote(std::string_view text);
// "; did you mean 'x'?" (or "\"x\"" for keys), or "" when no candidate is close.
[[nodiscard]] std::string suggestion(std::string_view wrong, std::span<const std::string_view> candidates,
                                     bool as_key = false);
// "number 5", "string 'x'", "an array" ...
[[nodiscard]] std::string describe(const PolicyJson& value);
// "'x' is not a valid rule id: use 1 to 64 characters from A-Z a-z 0-9 . _ : -", or "" when valid.
[[nodiscard]] std::string name_syntax_fault(std::string_view name, const NameSyntax& syntax);
// "^[A-Za-z0-9._:-]{1,64}$": the same rule as a JSON Schema pattern.
[[nodiscard]] std::string name_syntax_pattern(const NameSyntax& syntax);

}  // namespace icmpgate::rules
