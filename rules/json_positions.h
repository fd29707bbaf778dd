#pragma once
// Where each value of a JSON text starts, by JSON Pointer: nlohmann/json 3.11 keeps no
// positions for values, so diagnostics about a value (a JSON Pointer) find their line and
// column here. Built by one scan of a text the parser accepted; cold path, and only when a
// load has something to report.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace icmpgate::rules {

class JsonPositions {
public:
    // `text`: one JSON value (RFC 8259), optionally after a UTF-8 byte order mark, as a parser
    // that accepted it saw it. On other text the index holds what was read before the fault.
    explicit JsonPositions(std::string_view text);

    // The offset of the first byte of the value `pointer` names (RFC 6901). A member written
    // twice is found at its last occurrence, the one the parser keeps.
    [[nodiscard]] std::optional<std::size_t> value_offset(std::string_view pointer) const;
    // For an object member, the offset of its name's opening quote; otherwise the value's.
    // `occurrence` counts the times the member is written (0: the first); by default, the last.
    [[nodiscard]] std::optional<std::size_t> name_offset(std::string_view pointer) const;
    [[nodiscard]] std::optional<std::size_t> name_offset(std::string_view pointer, std::size_t occurrence) const;

    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

private:
    struct Entry {
        std::string pointer;
        std::size_t value{0};
        std::vector<std::size_t> names;  // each occurrence of a member's name, in text order
    };
    [[nodiscard]] const Entry* find(std::string_view pointer) const;

    std::vector<Entry> entries_;  // sorted by pointer, one per pointer
};

}  // namespace icmpgate::rules
