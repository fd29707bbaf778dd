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
#include "rules/policy_compiler.h"
#include "rules/policy_digest.h"
#include "rules/policy_linter.h"
#include "rules/policy_parser.h"
#include "rules/protection_analysis.h"
#include "rules/signature_id.h"

namespace icmpgate::rules {
namespace {

struct TextPosition {
    std::size_t line{1};
    std::size_t column{1};
};

// nlohmann's parse_error::byte counts the bytes read, the offending one included; turn it
// into the 1-based line and column of that byte.
TextPosition position_of_byte(std::string_view text, std::size_t byte) {
    const std::size_t index = std::min(byte == 0 ? 0 : byte - 1, text.size());
    const std::string_view before = text.substr(0, index);
    TextPosition pos;
    std::size_t line_start = 0;
    // From newline to newline (find() is a memchr), not byte by byte: the fuzzers report a
    // syntax error for most inputs.
    for (std::size_t at = before.find('\n'); at != std::string_view::npos; at = before.find('\n', at + 1)) {
        ++pos.line;
        line_start = at + 1;
    }
    pos.column = index - line_start + 1;
    return pos;
}

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

// nlohmann keeps the last of two equal keys without a word; a hand-edited policy with two
// "rules" members would silently lose the first. This parse callback tracks the JSON
// Pointer of the current position and reports every repeated key.
class DuplicateKeyFinder {
public:
    explicit DuplicateKeyFinder(DiagnosticSink& sink) : sink_(sink) {}

    bool operator()(int /*depth*/, nlohmann::detail::parse_event_t event, PolicyJson& parsed) {
        using Event = nlohmann::detail::parse_event_t;
        switch (event) {
        case Event::object_start:
            frames_.push_back({true, {}, {}, 0});
            break;
        case Event::array_start:
            frames_.push_back({false, {}, {}, 0});
            break;
        case Event::key:
            if (!frames_.empty()) key(parsed.get_ref<const std::string&>());
            break;
        case Event::object_end:
        case Event::array_end:
            if (!frames_.empty()) frames_.pop_back();
            element_done();
            break;
        case Event::value:
            element_done();
            break;
        }
        return true;
    }

private:
    struct Frame {
        bool is_object;
        std::vector<std::string> keys;
        std::string current_key;
        std::size_t index;
    };

    void key(const std::string& name) {
        Frame& top = frames_.back();
        top.current_key = name;
        if (std::find(top.keys.begin(), top.keys.end(), name) != top.keys.end()) {
            sink_.error(pointer(), "duplicate key \"" + name + "\"; only the last one would count");
            return;
        }
        top.keys.push_back(name);
    }

    void element_done() {
        if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
    }

    std::string pointer() const {
        std::string out;
        for (const Frame& f : frames_)
            out = f.is_object ? pointer_child(out, f.current_key) : pointer_child(out, f.index);
        return out;
    }

    DiagnosticSink& sink_;
    std::vector<Frame> frames_;
};

}  // namespace

std::string Diagnostic::to_string() const {
    const std::string level = severity == Severity::error ? "error" : "warning";
    std::string out = file;
    if (line) {
        out += ":" + std::to_string(*line) + ":" + std::to_string(column.value_or(1));
    } else if (!pointer.empty()) {
        out += ": " + pointer;
    }
    out += ": " + level + ": ";
    if (rule_id) out += "rule '" + *rule_id + "': ";
    out += message;
    return out;
}

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
    DiagnosticSink sink{std::string(name)};
    LoadResult result;
    try {
        PolicyJson root;
        try {
            root = PolicyJson::parse(text.begin(), text.end(), DuplicateKeyFinder(sink));
        } catch (const PolicyJson::parse_error& e) {
            const TextPosition pos = position_of_byte(text, e.byte);
            DiagnosticSink syntax_sink{std::string(name)};  // drop faults found before the syntax error
            syntax_sink.add_syntax_error(pos.line, pos.column, syntax_message(e.what()));
            result.diagnostics = syntax_sink.take();
            return result;
        }
        const PolicyDocument document = parse_policy_document(root, sink);
        const bool parsed_cleanly = sink.error_count() == 0;
        analyse_protection(document, sink);
        check_signature_ids(document, sink);
        lint_policy(document, parsed_cleanly, sink);
        if (sink.error_count() == 0) {
            result.policy = std::make_shared<const CompiledPolicy>(
                compile_policy(document, policy_digest(text), std::string(name)));
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
