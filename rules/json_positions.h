#pragma once
// Where values of a JSON text start, by JSON Pointer: nlohmann/json 3.11 keeps no positions
// for values, so diagnostics about a value (a JSON Pointer) find their line and column here.
// One scan of a text the parser accepted, following only the paths of the pointers asked
// for (a subtree off those paths is skipped bracket by bracket): linear in the text however
// deep it nests. Cold path, and only when a load has something to report.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace icmpgate::rules {

class JsonPositions {
public:
    // `text`: one JSON value (RFC 8259), optionally after a UTF-8 byte order mark, as a parser
    // that accepted it saw it; on other text, what was read before the fault is found.
    // `pointers`: the RFC 6901 pointers to find.
    JsonPositions(std::string_view text, std::span<const std::string_view> pointers);

    // The offset of the first byte of the value `pointer` names. A member written twice is
    // found at its last occurrence, the one the parser keeps.
    [[nodiscard]] std::optional<std::size_t> value_offset(std::string_view pointer) const;
    // For an object member, the offset of its name's opening quote; otherwise the value's.
    // `occurrence` counts the times the member is written (0: the first); by default, the last.
    [[nodiscard]] std::optional<std::size_t> name_offset(std::string_view pointer) const;
    [[nodiscard]] std::optional<std::size_t> name_offset(std::string_view pointer, std::size_t occurrence) const;

private:
    struct Place {
        std::optional<std::size_t> value;
        std::vector<std::size_t> names;  // each occurrence of a member's name, in text order
    };
    [[nodiscard]] const Place* find(std::string_view pointer) const;

    std::vector<std::pair<std::string, Place>> places_;  // sorted by pointer, one per pointer
};

}  // namespace icmpgate::rules
