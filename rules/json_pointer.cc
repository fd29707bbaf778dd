#include "rules/json_pointer.h"

namespace icmpgate::rules {

std::string pointer_child(const std::string& parent, std::string_view key) {
    std::string out;
    out.reserve(parent.size() + 1 + key.size());
    out += parent;
    out += '/';
    // Most keys need no escape: append them whole (find() is a memchr) rather than a
    // character at a time; the reader builds a pointer for every member it reads.
    if (key.find('~') == std::string_view::npos && key.find('/') == std::string_view::npos) {
        out += key;
        return out;
    }
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string pointer_child(const std::string& parent, std::size_t index) {
    return parent + "/" + std::to_string(index);
}

}  // namespace icmpgate::rules
