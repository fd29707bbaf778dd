#pragma once
// Byte offsets into a text as the line and column editors and CI annotators jump to.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace icmpgate::rules {

// 1-based; the column counts bytes from the line's start (a tab is one, as GNU tools count).
struct TextPosition {
    std::size_t line{1};
    std::size_t column{1};

    friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

// The position of the byte at `offset` (the end of the text when past it).
[[nodiscard]] TextPosition text_position(std::string_view text, std::size_t offset);

// The positions of ascending offsets, in one pass over the text.
[[nodiscard]] std::vector<TextPosition> text_positions(std::string_view text, std::span<const std::size_t> offsets);

}  // namespace icmpgate::rules
