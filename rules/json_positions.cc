#include "rules/json_positions.h"

#include <algorithm>

#include "rules/policy_json.h"

namespace icmpgate::rules {
namespace {

// RFC 8259 2: insignificant white space.
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// RFC 6901 3, 4: "/a~1b/0" -> {"a/b", "0"}.
std::vector<std::string> pointer_tokens(std::string_view pointer) {
    std::vector<std::string> tokens;
    std::size_t at = 0;
    while (at < pointer.size()) {
        const std::size_t next = std::min(pointer.find('/', at + 1), pointer.size());
        std::string token;
        for (std::size_t i = at + 1; i < next; ++i) {
            if (pointer[i] == '~' && i + 1 < next && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
                token += pointer[i + 1] == '0' ? '~' : '/';
                ++i;
            } else {
                token += pointer[i];
            }
        }
        tokens.push_back(std::move(token));
        at = next;
    }
    return tokens;
}

// The paths of the pointers asked for, as a tree of member names and element indices.
struct PathTree {
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    struct Node {
        std::vector<std::pair<std::string, std::size_t>> children;  // token -> node
        std::size_t place{kNone};                                   // index in places_, when asked for
    };
    std::vector<Node> nodes{Node{}};  // 0: the root

    std::size_t child(std::size_t node, std::string_view token) const {
        if (node == kNone) return kNone;
        for (const auto& [name, index] : nodes[node].children)
            if (name == token) return index;
        return kNone;
    }
    std::size_t add(std::size_t node, std::string token) {
        if (const std::size_t existing = child(node, token); existing != kNone) return existing;
        nodes.push_back(Node{});
        nodes[node].children.emplace_back(std::move(token), nodes.size() - 1);
        return nodes.size() - 1;
    }
};

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;
    }

    [[nodiscard]] bool done() const { return at_ >= text_.size(); }
    [[nodiscard]] char peek() const { return done() ? '\0' : text_[at_]; }
    [[nodiscard]] std::size_t offset() const { return at_; }
    void advance() { ++at_; }
    void skip_space() {
        while (!done() && is_space(text_[at_])) ++at_;
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

    // At a member name: its decoded text, the scanner past it; nullopt when malformed.
    std::optional<std::string> member_name() {
        if (peek() != '"') return std::nullopt;
        const std::size_t start = at_;
        if (!skip_string()) return std::nullopt;
        const std::string_view raw = text_.substr(start, at_ - start);
        if (raw.find('\\') == std::string_view::npos) return std::string(raw.substr(1, raw.size() - 2));
        // Escapes: decoded by the parser that read the document, so the name is the one it keeps.
        const PolicyJson decoded = PolicyJson::parse(raw, nullptr, false);
        if (!decoded.is_string()) return std::nullopt;
        return decoded.get<std::string>();
    }

    // At a value: past it, nested values and all. False when malformed.
    bool skip_value() {
        std::size_t depth = 0;
        do {
            const char c = peek();
            if (c == '"') {
                if (!skip_string()) return false;
            } else if (c == '{' || c == '[') {
                ++depth;
                ++at_;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return false;
                --depth;
                ++at_;
            } else if (c == '\0') {
                return false;
            } else {
                ++at_;
            }
        } while (depth > 0);
        // A scalar other than a string: up to its end.
        while (!done() && !is_space(text_[at_]) && text_[at_] != ',' && text_[at_] != ']' && text_[at_] != '}') ++at_;
        return true;
    }

private:
    std::string_view text_;
    std::size_t at_{0};
};

struct Frame {
    bool object;
    std::size_t node;  // PathTree node, or kNone off every path asked for
    std::size_t next_index;
};

}  // namespace

JsonPositions::JsonPositions(std::string_view text, std::span<const std::string_view> pointers) {
    PathTree tree;
    for (const std::string_view pointer : pointers) {
        std::size_t node = 0;
        for (std::string& token : pointer_tokens(pointer)) node = tree.add(node, std::move(token));
        if (tree.nodes[node].place == PathTree::kNone) {
            tree.nodes[node].place = places_.size();
            places_.emplace_back(std::string(pointer), Place{});
        }
    }

    Scanner scan(text);
    scan.skip_space();
    std::vector<Frame> open;  // the containers around the current value, innermost last
    std::size_t node = 0;     // of the value about to start
    std::size_t name = scan.offset();

    // Moves to the next value of the innermost container, closing finished ones; false when
    // the document is done (or malformed).
    const auto next_value = [&]() -> bool {
        for (;;) {
            scan.skip_space();
            if (open.empty()) return false;
            Frame& frame = open.back();
            if (scan.peek() == (frame.object ? '}' : ']')) {
                scan.advance();
                open.pop_back();
                continue;
            }
            if (frame.next_index > 0) {  // after an element: a comma, then the next one
                if (scan.peek() != ',') return false;
                scan.advance();
                scan.skip_space();
            }
            name = scan.offset();
            if (frame.object) {
                const std::optional<std::string> key = scan.member_name();
                if (!key) return false;
                scan.skip_space();
                if (scan.peek() != ':') return false;
                scan.advance();
                scan.skip_space();
                node = tree.child(frame.node, *key);
            } else {
                node = tree.child(frame.node, std::to_string(frame.next_index));
            }
            ++frame.next_index;
            return !scan.done();
        }
    };

    while (!scan.done()) {
        if (node != PathTree::kNone && tree.nodes[node].place != PathTree::kNone) {
            Place& place = places_[tree.nodes[node].place].second;
            place.value = scan.offset();
            place.names.push_back(name);
        }
        const char c = scan.peek();
        if ((c == '{' || c == '[') && node != PathTree::kNone && !tree.nodes[node].children.empty()) {
            scan.advance();
            open.push_back({c == '{', node, 0});
        } else if (!scan.skip_value()) {
            break;
        }
        if (!next_value()) break;
    }

    std::sort(places_.begin(), places_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

const JsonPositions::Place* JsonPositions::find(std::string_view pointer) const {
    const auto it = std::lower_bound(places_.begin(), places_.end(), pointer,
                                     [](const auto& entry, std::string_view p) { return entry.first < p; });
    return it != places_.end() && it->first == pointer && it->second.value ? &it->second : nullptr;
}

std::optional<std::size_t> JsonPositions::value_offset(std::string_view pointer) const {
    const Place* place = find(pointer);
    if (place == nullptr) return std::nullopt;
    return place->value;
}

std::optional<std::size_t> JsonPositions::name_offset(std::string_view pointer) const {
    const Place* place = find(pointer);
    if (place == nullptr) return std::nullopt;
    return place->names.back();
}

std::optional<std::size_t> JsonPositions::name_offset(std::string_view pointer, std::size_t occurrence) const {
    const Place* place = find(pointer);
    if (place == nullptr) return std::nullopt;
    return place->names[std::min(occurrence, place->names.size() - 1)];
}

}  // namespace icmpgate::rules
