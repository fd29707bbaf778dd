#pragma once
// nlohmann keeps the last of two equal keys without a word; a hand-edited policy with two
// "rules" members would silently lose the first. This parse callback tracks the JSON Pointer
// of the parser's position and reports every repeated key, at its repetition.

#include <cstddef>
#include <string>
#include <vector>

#include "rules/diagnostic_sink.h"
#include "rules/policy_json.h"

namespace icmpgate::rules {

class DuplicateKeyFinder {
public:
    explicit DuplicateKeyFinder(DiagnosticSink& sink) : sink_(sink) {}

    // PolicyJson::parse's callback: keeps every value.
    bool operator()(int depth, nlohmann::detail::parse_event_t event, PolicyJson& parsed);

private:
    struct Frame {
        bool is_object;
        std::vector<std::string> keys;
        std::string current_key;
        std::size_t index;
    };

    void key(const std::string& name);
    void element_done();
    [[nodiscard]] std::string pointer() const;

    DiagnosticSink& sink_;
    std::vector<Frame> frames_;
};

}  // namespace icmpgate::rules
