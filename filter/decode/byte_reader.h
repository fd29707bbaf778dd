#pragma once
// The only code that indexes packet bytes. Every read is checked once against the
// remaining length, after which fixed offsets inside a fixed-extent span are read.
// A failed take() empties the reader ("sticky" failure) so chained reads need one check.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace icmpgate::decode {

using Bytes = std::span<const std::uint8_t>;

template <std::size_t N>
using FixedBytes = std::span<const std::uint8_t, N>;

template <std::size_t Off, std::size_t N>
[[nodiscard]] constexpr std::uint8_t be8(FixedBytes<N> h) noexcept {
    static_assert(Off + 1 <= N, "field lies outside the header");
    return h[Off];
}

template <std::size_t Off, std::size_t N>
[[nodiscard]] constexpr std::uint16_t be16(FixedBytes<N> h) noexcept {
    static_assert(Off + 2 <= N, "field lies outside the header");
    return static_cast<std::uint16_t>((static_cast<unsigned>(h[Off]) << 8U) | h[Off + 1]);
}

template <std::size_t Off, std::size_t N>
[[nodiscard]] constexpr std::uint32_t be32(FixedBytes<N> h) noexcept {
    static_assert(Off + 4 <= N, "field lies outside the header");
    return (static_cast<std::uint32_t>(h[Off]) << 24U) | (static_cast<std::uint32_t>(h[Off + 1]) << 16U) |
           (static_cast<std::uint32_t>(h[Off + 2]) << 8U) | static_cast<std::uint32_t>(h[Off + 3]);
}

class ByteReader {
public:
    constexpr ByteReader() noexcept = default;
    constexpr explicit ByteReader(Bytes bytes) noexcept : rest_{bytes} {}

    // Takes N bytes as a fixed-extent span, or fails (and empties the reader).
    template <std::size_t N>
    [[nodiscard]] constexpr std::optional<FixedBytes<N>> take_fixed() noexcept {
        if (N > rest_.size()) {
            rest_ = {};
            return std::nullopt;
        }
        FixedBytes<N> head = rest_.template first<N>();
        rest_ = rest_.subspan(N);
        return head;
    }

    // Looks at N bytes without consuming them.
    template <std::size_t N>
    [[nodiscard]] constexpr std::optional<FixedBytes<N>> peek_fixed() const noexcept {
        if (N > rest_.size()) return std::nullopt;
        return rest_.template first<N>();
    }

    [[nodiscard]] constexpr std::optional<Bytes> take(std::size_t n) noexcept {
        if (n > rest_.size()) {
            rest_ = {};
            return std::nullopt;
        }
        Bytes head = rest_.first(n);
        rest_ = rest_.subspan(n);
        return head;
    }

    [[nodiscard]] constexpr bool skip(std::size_t n) noexcept { return take(n).has_value(); }

    // Keeps at most n bytes (clamps to a declared length; trailing padding is dropped).
    constexpr void truncate(std::size_t n) noexcept {
        if (n < rest_.size()) rest_ = rest_.first(n);
    }

    [[nodiscard]] constexpr Bytes rest() const noexcept { return rest_; }
    [[nodiscard]] constexpr std::size_t remaining() const noexcept { return rest_.size(); }

private:
    Bytes rest_{};
};

}  // namespace icmpgate::decode
