#include "rules/text_position.h"

#include <algorithm>
#include <array>

namespace icmpgate::rules {

std::vector<TextPosition> text_positions(std::string_view text, std::span<const std::size_t> offsets) {
    std::vector<TextPosition> out;
    out.reserve(offsets.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    std::size_t scanned = 0;  // newlines before this offset are counted
    for (const std::size_t wanted : offsets) {
        const std::size_t offset = std::min(wanted, text.size());
        // From newline to newline (find() is a memchr), not byte by byte: the fuzzers report
        // a syntax error for most inputs.
        for (std::size_t at = text.find('\n', scanned); at != std::string_view::npos && at < offset;
             at = text.find('\n', at + 1)) {
            ++line;
            line_start = at + 1;
        }
        scanned = std::max(scanned, offset);
        out.push_back({line, offset - line_start + 1});
    }
    return out;
}

TextPosition text_position(std::string_view text, std::size_t offset) {
    const std::array<std::size_t, 1> offsets{offset};
    return text_positions(text, offsets).front();
}

}  // namespace icmpgate::rules
