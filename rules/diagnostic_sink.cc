#include "rules/diagnostic_sink.h"

#include <algorithm>
#include <limits>

#include "rules/json_positions.h"
#include "rules/text_position.h"

namespace icmpgate::rules {

void DiagnosticSink::add(Diagnostic::Severity severity, std::string pointer, std::string message,
                         std::optional<std::string> rule_id, PointerTarget target) {
    Diagnostic d;
    d.severity = severity;
    d.file = file_;
    d.pointer = std::move(pointer);
    d.rule_id = std::move(rule_id);
    d.message = std::move(message);
    if (severity == Diagnostic::Severity::error) ++errors_;
    entries_.push_back({order_, target, std::move(d)});
}

void DiagnosticSink::add_syntax_error(std::size_t line, std::size_t column, std::string message) {
    Diagnostic d;
    d.file = file_;
    d.line = line;
    d.column = column;
    d.message = std::move(message);
    ++errors_;
    entries_.push_back({order_, PointerTarget::value, std::move(d)});
}

// Gives each entry without a position the line and column of its pointer's value (or name)
// and sorts them all by that place; an entry whose pointer is not in the text keeps its place
// after the others.
void DiagnosticSink::place(std::vector<Entry>& entries) const {
    constexpr std::size_t kNowhere = std::numeric_limits<std::size_t>::max();
    std::vector<std::string_view> pointers;
    pointers.reserve(entries.size());
    for (const Entry& entry : entries) pointers.push_back(entry.diagnostic.pointer);
    const JsonPositions positions(text_, pointers);
    std::vector<std::pair<std::size_t, std::size_t>> offsets;  // (offset, entry)
    offsets.reserve(entries.size());
    std::vector<std::string_view> repeated;  // the pointer of each repeated_member_name so far
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry& entry = entries[i];
        const std::string& pointer = entry.diagnostic.pointer;
        std::optional<std::size_t> offset;
        switch (entry.target) {
            case PointerTarget::value:
                offset = positions.value_offset(pointer);
                break;
            case PointerTarget::member_name:
                offset = positions.name_offset(pointer);
                break;
            case PointerTarget::repeated_member_name:
                offset = positions.name_offset(
                    pointer, 1 + static_cast<std::size_t>(std::count(repeated.begin(), repeated.end(), pointer)));
                repeated.push_back(pointer);
                break;
        }
        offsets.emplace_back(entry.diagnostic.line ? kNowhere : offset.value_or(kNowhere), i);
    }
    std::stable_sort(offsets.begin(), offsets.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::size_t> placed;
    for (const auto& [offset, index] : offsets)
        if (offset != kNowhere) placed.push_back(offset);
    const std::vector<TextPosition> where = text_positions(text_, placed);
    std::vector<Entry> sorted;
    sorted.reserve(entries.size());
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        Entry& entry = entries[offsets[i].second];
        if (i < where.size()) {
            entry.diagnostic.line = where[i].line;
            entry.diagnostic.column = where[i].column;
        }
        sorted.push_back(std::move(entry));
    }
    entries = std::move(sorted);
}

std::vector<Diagnostic> DiagnosticSink::take() {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const Entry& a, const Entry& b) { return a.order < b.order; });
    if (!text_.empty() && !entries_.empty()) place(entries_);
    std::vector<Diagnostic> out;
    out.reserve(entries_.size());
    for (Entry& entry : entries_) out.push_back(std::move(entry.diagnostic));
    entries_.clear();
    errors_ = 0;
    return out;
}

}  // namespace icmpgate::rules
