#pragma once
// Helpers shared by the policy tests (header only: not a *_test.cc, so not globbed).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rules/policy_loader.h"

namespace icmpgate::rules::test {

// A diagnostic as Diagnostic::to_string() prints it, without its line and column:
// "p.json: error: /rules/0/verdict: rule 'r': unknown verdict 'x'; ...". The tables of messages
// compare these; tests/rules/diagnostic_position_test.cc checks where each kind points.
inline std::string without_position(Diagnostic d) {
    d.line.reset();
    d.column.reset();
    return d.to_string();
}

// Every diagnostic of loading `text` as "p.json", in file order, without its position; each
// must have one.
inline std::vector<std::string> diagnostics_of(std::string_view text) {
    const LoadResult result = load_policy_text(text, "p.json");
    std::vector<std::string> out;
    for (const Diagnostic& d : result.diagnostics) {
        if (!d.line || !d.column) out.push_back("(no position) " + d.to_string());
        out.push_back(without_position(d));
    }
    return out;
}

// The compiled policy of `text`, which must load without errors.
inline std::shared_ptr<const CompiledPolicy> compile_ok(std::string_view text) {
    LoadResult result = load_policy_text(text, "p.json");
    return result.policy;
}

// The repository root, found from this file's path (tests/rules/policy_test_support.h).
inline std::filesystem::path repository_root() {
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
}

}  // namespace icmpgate::rules::test
