#pragma once
// The number of members of an aggregate, found at compile time: the largest N for which
// T{x1, ..., xN} compiles with values convertible to anything. Used by static_asserts that
// tie a struct's members to the list of them some code walks.

#include <cstddef>

namespace icmpgate::rules {

namespace detail {
struct AnyMember {
    template <typename T>
    constexpr operator T() const noexcept;  // only named in unevaluated operands
};
}  // namespace detail

template <typename T, typename... Members>
[[nodiscard]] consteval std::size_t aggregate_field_count() {
    if constexpr (requires { T{Members{}..., detail::AnyMember{}}; }) {
        return aggregate_field_count<T, Members..., detail::AnyMember>();
    } else {
        return sizeof...(Members);
    }
}

}  // namespace icmpgate::rules
