#include "rules/json_positions.h"

#include <algorithm>

#include "rules/json_pointer.h"
#include "rules/policy_json.h"

namespace icmpgate::rules {
namespace {

// RFC 8259 2: insignificant white space.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    [[nodiscard]] bool done() const { return at_ >= text_.size(); }
    [[nodiscard]] char peek() const { return done() ? '\0' : text_[at_]; }
    [[nodiscard]] std::size_t offset() const { return at_; }
    void advance() { ++at_; }

    void skip_space() {
        while (!done() && is_space(text_[at_])) ++at_;
    }
    void skip_byte_order_mark() {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;
    }

    // At an opening quote: past the closing one. False on a malformed string.
    bool skip_string() {
        for (++at_; at_ < text_.size(); ++at_) {
            if (text_[at_] == '\\') {
                ++at_;
            } else if (text_[at_] == '"') {
                ++at_;
                return true;
            }
        }
        return false;
    }

    // At a member name: its decoded text, the scanner past it. nullopt when malformed.
    std::optional<std::string> member_name() {
        if (peek() != '"') return std::nullopt;
        const std::size_t start = at_;
        if (!skip_string()) return std::nullopt;
        const std::string_view raw = text_.substr(start, at_ - start);
        if (raw.find('\\') == std::string_view::npos) return std::string(raw.substr(1, raw.size() - 2));
        // Escapes: decoded by the parser that read the document, so the name is the one it keeps.
        PolicyJson decoded = PolicyJson::parse(raw, nullptr, false);
        if (!decoded.is_string()) return std::nullopt;
        return decoded.get<std::string>();
    }

    // At a number or a literal: past it.
    void skip_scalar() {
        while (!done() && !is_space(text_[at_]) && text_[at_] != ',' && text_[at_] != ']' && text_[at_] != '}') ++at_;
    }

private:
    std::string_view text_;
    std::size_t at_{0};
};

struct Frame {
    bool object;
    std::string pointer;
    std::size_t next_index;
};

}  // namespace

JsonPositions::JsonPositions(std::string_view text) {
    Scanner scan(text);
    scan.skip_byte_order_mark();
    scan.skip_space();
    std::vector<Frame> open;  // the containers around the current value, innermost last
    std::string pointer;      // of the value about to start
    std::size_t name = scan.offset();

    // Moves to the next value of the innermost container, or closes containers; false when
    // the document is done (or malformed).
    const auto next_value = [&]() -> bool {
        for (;;) {
            scan.skip_space();
            if (open.empty()) return false;
            Frame& frame = open.back();
            const char c = scan.peek();
            if (c == (frame.object ? '}' : ']')) {
                scan.advance();
                open.pop_back();
                continue;
            }
            if (frame.next_index > 0) {  // after an element: a comma, then the next one
                if (c != ',') return false;
                scan.advance();
                scan.skip_space();
            } else if (scan.done()) {
                return false;
            }
            if (frame.object) {
                name = scan.offset();
                std::optional<std::string> key = scan.member_name();
                if (!key) return false;
                scan.skip_space();
                if (scan.peek() != ':') return false;
                scan.advance();
                scan.skip_space();
                pointer = pointer_child(frame.pointer, *key);
            } else {
                name = scan.offset();
                pointer = pointer_child(frame.pointer, frame.next_index);
            }
            ++frame.next_index;
            return true;
        }
    };

    for (;;) {
        if (scan.done()) break;
        entries_.push_back({pointer, scan.offset(), {name}});
        const char c = scan.peek();
        if (c == '{' || c == '[') {
            scan.advance();
            open.push_back({c == '{', pointer, 0});
        } else if (c == '"') {
            if (!scan.skip_string()) break;
        } else {
            scan.skip_scalar();
        }
        if (!next_value()) break;
    }

    // One entry per pointer, the last occurrence of a repeated member.
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const Entry& a, const Entry& b) { return a.pointer < b.pointer; });
    std::vector<Entry> unique;
    unique.reserve(entries_.size());
    for (Entry& entry : entries_) {
        if (!unique.empty() && unique.back().pointer == entry.pointer) {
            std::vector<std::size_t> names = std::move(unique.back().names);
            names.push_back(entry.names.front());
            unique.back() = std::move(entry);
            unique.back().names = std::move(names);
        } else {
            unique.push_back(std::move(entry));
        }
    }
    entries_ = std::move(unique);
}

const JsonPositions::Entry* JsonPositions::find(std::string_view pointer) const {
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), pointer,
                                     [](const Entry& e, std::string_view p) { return e.pointer < p; });
    return it != entries_.end() && it->pointer == pointer ? &*it : nullptr;
}

std::optional<std::size_t> JsonPositions::value_offset(std::string_view pointer) const {
    const Entry* entry = find(pointer);
    if (entry == nullptr) return std::nullopt;
    return entry->value;
}

std::optional<std::size_t> JsonPositions::name_offset(std::string_view pointer) const {
    const Entry* entry = find(pointer);
    if (entry == nullptr) return std::nullopt;
    return entry->names.back();
}

std::optional<std::size_t> JsonPositions::name_offset(std::string_view pointer, std::size_t occurrence) const {
    const Entry* entry = find(pointer);
    if (entry == nullptr || entry->names.empty()) return std::nullopt;
    return entry->names[std::min(occurrence, entry->names.size() - 1)];
}

}  // namespace icmpgate::rules
