#pragma once
// "Did you mean ...": the nearest valid spelling of a misspelled policy name or key.
// Cold path (policy loading), but the structure-aware fuzzer misspells names in most of its
// inputs, so nearest_name() computes distances only as far as they can still win.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace icmpgate::rules {

// Optimal string alignment distance (insertions, deletions, substitutions and adjacent
// transpositions each cost 1), ignoring ASCII case.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// edit_distance(a, b) when it is at most `bound`, nullopt otherwise; work grows with the
// bound, not with the product of the lengths.
[[nodiscard]] std::optional<std::size_t> edit_distance_within(std::string_view a, std::string_view b,
                                                              std::size_t bound);

// The candidate closest to `wrong`, when it is close enough to be a plausible typo:
// at most max(2, size/3) edits away. Ties go to the earlier candidate.
[[nodiscard]] std::optional<std::string_view> nearest_name(std::string_view wrong,
                                                           std::span<const std::string_view> candidates);

}  // namespace icmpgate::rules
