#include "rules/name_suggestion.h"

#include <algorithm>
#include <vector>

namespace icmpgate::rules {
namespace {

char fold(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// a[i - 1] and a[i - 2] against b[j - 1] and b[j - 2]: swapped neighbours (i, j >= 2).
bool transposed(std::string_view a, std::string_view b, std::size_t i, std::size_t j) noexcept {
    return fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]);
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t rows = a.size() + 1;
    const std::size_t cols = b.size() + 1;
    std::vector<std::size_t> d(rows * cols, 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * cols + j]; };
    for (std::size_t i = 0; i < rows; ++i) at(i, 0) = i;
    for (std::size_t j = 0; j < cols; ++j) at(0, j) = j;
    for (std::size_t i = 1; i < rows; ++i) {
        for (std::size_t j = 1; j < cols; ++j) {
            const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            std::size_t best = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && transposed(a, b, i, j)) best = std::min(best, at(i - 2, j - 2) + 1);
            at(i, j) = best;
        }
    }
    return at(rows - 1, cols - 1);
}

// The same recurrence, with every distance above `bound` held at bound + 1 ("too far"):
// - a cell more than `bound` off the diagonal is too far (distance(i, j) >= |i - j|), so
//   each row computes only the 2 * bound + 1 cells around it;
// - every alignment reaches the last row through a cell of row i, or jumps over it with a
//   transposition from (i - 1, j - 2), which costs no less than the step from there to
//   (i, j - 1): once row i is all too far, so is the answer.
// Three rows are kept: the transposition reads two rows back.
std::optional<std::size_t> edit_distance_within(std::string_view a, std::string_view b, std::size_t bound) {
    const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (length_gap > bound) return std::nullopt;
    const std::size_t too_far = bound + 1;
    const std::size_t cols = b.size() + 1;
    std::vector<std::size_t> rows(3 * cols, too_far);
    std::size_t* two_back = rows.data();
    std::size_t* previous = two_back + cols;
    std::size_t* current = previous + cols;
    for (std::size_t j = 0; j < cols; ++j) previous[j] = std::min(j, too_far);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::fill(current, current + cols, too_far);
        current[0] = std::min(i, too_far);
        std::size_t row_min = current[0];
        const std::size_t first = i > bound ? i - bound : 1;
        const std::size_t last = std::min(cols - 1, i + bound);
        for (std::size_t j = first; j <= last; ++j) {
            const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            std::size_t best = std::min(std::min(previous[j], current[j - 1]) + 1, previous[j - 1] + cost);
            if (i > 1 && j > 1 && transposed(a, b, i, j)) best = std::min(best, two_back[j - 2] + 1);
            current[j] = std::min(best, too_far);
            row_min = std::min(row_min, current[j]);
        }
        if (row_min > bound) return std::nullopt;
        std::swap(two_back, previous);
        std::swap(previous, current);
    }
    const std::size_t distance = previous[cols - 1];
    return distance <= bound ? std::optional<std::size_t>{distance} : std::nullopt;
}

std::optional<std::string_view> nearest_name(std::string_view wrong, std::span<const std::string_view> candidates) {
    const std::size_t limit = std::max<std::size_t>(2, wrong.size() / 3);
    std::optional<std::string_view> best;
    std::size_t best_distance = limit + 1;
    for (std::string_view candidate : candidates) {
        if (best_distance == 0) break;  // ties go to the earlier candidate: nothing can win now
        // Only a strictly closer candidate replaces the best so far.
        if (const std::optional<std::size_t> distance = edit_distance_within(wrong, candidate, best_distance - 1)) {
            best = candidate;
            best_distance = *distance;
        }
    }
    return best;
}

}  // namespace icmpgate::rules
