#include "rules/duplicate_key_finder.h"

#include <algorithm>

namespace icmpgate::rules {

bool DuplicateKeyFinder::operator()(int /*depth*/, nlohmann::detail::parse_event_t event, PolicyJson& parsed) {
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

void DuplicateKeyFinder::key(const std::string& name) {
    Frame& top = frames_.back();
    top.current_key = name;
    if (std::find(top.keys.begin(), top.keys.end(), name) != top.keys.end()) {
        sink_.error(pointer(), "duplicate key \"" + name + "\"; only the last one would count", std::nullopt,
                    PointerTarget::repeated_member_name);
        return;
    }
    top.keys.push_back(name);
}

void DuplicateKeyFinder::element_done() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
}

std::string DuplicateKeyFinder::pointer() const {
    std::string out;
    for (const Frame& f : frames_) out = f.is_object ? pointer_child(out, f.current_key) : pointer_child(out, f.index);
    return out;
}

}  // namespace icmpgate::rules
