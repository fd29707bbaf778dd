#include "rules/policy_loader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "rules/diagnostic_sink.h"
#include "rules/duplicate_key_finder.h"
#include "rules/match_compiler.h"
#include "rules/monitor_rules.h"
#include "rules/policy_compiler.h"
#include "rules/policy_digest.h"
#include "rules/policy_linter.h"
#include "rules/policy_reader.h"
#include "rules/protection_analysis.h"
#include "rules/signature_id.h"
#include "rules/text_position.h"

namespace icmpgate::rules {
namespace {

// "[json.exception.parse_error.101] parse error at line 2, column 3: syntax error while ..."
// -> "syntax error while ..."
std::string syntax_message(std::string_view what) {
    const std::size_t column = what.find(", column ");
    if (column != std::string_view::npos) {
        const std::size_t colon = what.find(": ", column);
        if (colon != std::string_view::npos) return std::string(what.substr(colon + 2));
    }
    const std::size_t bracket = what.find("] ");
    if (bracket != std::string_view::npos) return std::string(what.substr(bracket + 2));
    return std::string(what);
}

std::vector<CompiledMatch> compile_matches(const PolicyDocument& document) {
    std::vector<CompiledMatch> matches;
    matches.reserve(document.rules.size());
    for (const RuleDocument& rule : document.rules) matches.push_back(compile_match(rule.match));
    return matches;
}

}  // namespace

std::size_t LoadResult::error_count() const noexcept {
    return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::error;
    }));
}

std::size_t LoadResult::warning_count() const noexcept {
    return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::warning;
    }));
}

LoadResult load_policy_text(std::string_view text, std::string_view name) {
    DiagnosticSink sink{std::string(name), text};
    LoadResult result;
    try {
        PolicyJson root;
        try {
            root = PolicyJson::parse(text.begin(), text.end(), DuplicateKeyFinder(sink));
        } catch (const PolicyJson::parse_error& e) {
            // parse_error::byte counts the bytes read, the offending one included.
            const TextPosition pos = text_position(text, e.byte == 0 ? 0 : e.byte - 1);
            DiagnosticSink syntax_sink{std::string(name)};  // drop faults found before the syntax error
            syntax_sink.add_syntax_error(pos.line, pos.column, syntax_message(e.what()));
            result.diagnostics = syntax_sink.take();
            return result;
        }
        const PolicyDocument document = read_policy_document(root, sink);
        const bool read_cleanly = sink.error_count() == 0;
        std::vector<CompiledMatch> matches = compile_matches(document);
        analyse_protection(document, matches, sink);
        check_signature_ids(document, sink);
        check_monitor_rule_limiters(document, sink);
        lint_policy(document, matches, read_cleanly, sink);
        if (sink.error_count() == 0) {
            result.policy = std::make_shared<const CompiledPolicy>(
                compile_policy(document, std::move(matches), policy_digest(text), std::string(name)));
        }
    } catch (const std::exception& e) {
        sink.error("", std::string("internal error while loading the policy: ") + e.what());
        result.policy.reset();
    }
    result.diagnostics = sink.take();
    return result;
}

LoadResult load_policy_file(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    std::string text;
    int read_errno = 0;
    if (file == nullptr) {
        read_errno = errno;
    } else {
        constexpr std::size_t kChunk = 65536;
        std::array<char, kChunk> buffer{};
        std::size_t n = 0;
        while ((n = std::fread(buffer.data(), 1, kChunk, file)) > 0) text.append(buffer.data(), n);
        if (std::ferror(file) != 0) read_errno = errno != 0 ? errno : EIO;
        std::fclose(file);
    }
    if (read_errno != 0) {
        Diagnostic d;
        d.file = path;
        d.message = std::string("cannot read: ") + std::strerror(read_errno);
        LoadResult result;
        result.diagnostics.push_back(std::move(d));
        return result;
    }
    return load_policy_text(text, path);
}

}  // namespace icmpgate::rules
