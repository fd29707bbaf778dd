#pragma once
// Aligned text for the command line's tables: columns as wide as their widest cell, two spaces
// apart, the first (a frame number) aligned right; and lists of counts, "  name  n".

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace icmpgate::app {

// The first `shown` columns (all by default).
template <std::size_t Columns>
void print_aligned(const std::array<std::string_view, Columns>& headings,
                   const std::vector<std::array<std::string, Columns>>& rows, std::ostream& out,
                   std::size_t shown = Columns) {
    constexpr std::string_view kColumnGap = "  ";
    shown = std::min(shown, Columns);
    std::array<std::size_t, Columns> widths{};
    for (std::size_t c = 0; c < shown; ++c) widths[c] = headings[c].size();
    for (const auto& row : rows)
        for (std::size_t c = 0; c < shown; ++c) widths[c] = std::max(widths[c], row[c].size());

    const auto print_row = [&](const auto& cells) {
        std::string line;
        for (std::size_t c = 0; c < shown; ++c) {
            const std::string_view cell = cells[c];
            if (c == 0) line.append(widths[c] - cell.size(), ' ');  // frame numbers align right
            line += cell;
            if (c + 1 < shown) {
                if (c != 0) line.append(widths[c] - cell.size(), ' ');
                line += kColumnGap;
            }
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();  // an empty last cell
        out << line << '\n';
    };
    print_row(headings);
    for (const auto& row : rows) print_row(row);
}

// One line per (name, count), names padded to the longest, each line starting with `indent`.
inline void print_counts(const std::vector<std::pair<std::string, std::uint64_t>>& lines, std::ostream& out,
                         std::string_view indent = "  ") {
    std::size_t width = 0;
    for (const auto& [name, n] : lines) width = std::max(width, name.size());
    for (const auto& [name, n] : lines)
        out << indent << name << std::string(width - name.size(), ' ') << "  " << n << '\n';
}

}  // namespace icmpgate::app
