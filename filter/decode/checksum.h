#pragma once
// The Internet checksum (RFC 1071) as an accumulator over byte spans, and the two ICMP
// verifications built on it: ICMPv4 over the message alone (RFC 792), ICMPv6 over an IPv6
// pseudo-header plus the message (RFC 4443 2.3, RFC 8200 8.1).

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

#include "filter/decode/byte_reader.h"
#include "filter/decode/ip_address.h"

namespace icmpgate::decode {

// Sums byte pairs in network order. Spans may be fed one after another: the sum is over their
// concatenation, so an odd trailing byte of one span pairs with the first byte of the next,
// and a final odd byte is padded with a zero octet (RFC 1071 4.1).
class InternetChecksum {
    static constexpr std::size_t kWordBytes = 4;   // summed as one 32-bit addition
    static constexpr std::size_t kStepBytes = 16;  // shorter spans skip the host-order loop
    static constexpr std::size_t kHostWordBytes = 8;
    static constexpr std::size_t kHostStepBytes = 16;  // two words per loop step

public:
    constexpr void add(Bytes bytes) noexcept {
        std::size_t at = 0;
        if (odd_ && !bytes.empty()) add_byte(bytes[at++]);  // completes the previous span's pair
        // 64-bit words in the host's byte order, added with an end-around carry (RFC 1071
        // 2(B): the sum of byte-swapped pairs is the byte-swapped sum, so no per-word swap;
        // 2(C): computed in larger units and folded once). 2^64 - 1 is a multiple of 0xFFFF,
        // so the carry keeps the sum congruent; the folded run is swapped back to network order.
        if (bytes.size() - at >= kStepBytes) {
            std::uint64_t run = 0;
            for (; at + kHostStepBytes <= bytes.size(); at += kHostStepBytes) {
                add_with_carry(run, load_host_word(bytes, at));
                add_with_carry(run, load_host_word(bytes, at + kHostWordBytes));
            }
            if (at + kHostWordBytes <= bytes.size()) {
                add_with_carry(run, load_host_word(bytes, at));
                at += kHostWordBytes;
            }
            sum_ += to_network_order(fold(run));
        }
        // What is left (under 16 bytes): at most one run of 8 and one of 4, then a pair.
        if (at + 2 * kWordBytes <= bytes.size()) {
            add_words(bytes.subspan(at).first<2 * kWordBytes>());
            at += 2 * kWordBytes;
        }
        if (at + kWordBytes <= bytes.size()) {
            add_words(bytes.subspan(at).first<kWordBytes>());
            at += kWordBytes;
        }
        if (at + 1 < bytes.size()) {
            sum_ += (static_cast<std::uint64_t>(bytes[at]) << kBitsPerByte) | bytes[at + 1];
            at += 2;
        }
        if (at < bytes.size()) add_byte(bytes[at]);
    }
    // A fixed run of whole 32-bit words (such as an IPv6 address): one addition per word.
    template <std::size_t N>
    requires(N != std::dynamic_extent && N % kWordBytes == 0) constexpr void add(FixedBytes<N> bytes) noexcept {
        if (odd_) {
            add(Bytes{bytes});
        } else {
            add_words(bytes);
        }
    }
    constexpr void add_u16(std::uint16_t value) noexcept {
        if (!odd_) {
            sum_ += value;
            return;
        }
        add_byte(static_cast<std::uint8_t>(value >> kBitsPerByte));
        add_byte(static_cast<std::uint8_t>(value & kLowByte));
    }
    constexpr void add_u32(std::uint32_t value) noexcept {
        if (!odd_) {
            sum_ += value;  // both halves at once (see add)
            return;
        }
        add_u16(static_cast<std::uint16_t>(value >> kBitsPerWord));
        add_u16(static_cast<std::uint16_t>(value & kLowWord));
    }
    // One's-complement sum folded to 16 bits: 0xFFFF when data including a checksum verifies.
    [[nodiscard]] constexpr std::uint16_t folded_sum() const noexcept { return fold(sum_); }
    // The value a sender writes into the checksum field (computed with that field zero).
    [[nodiscard]] constexpr std::uint16_t checksum() const noexcept {
        return static_cast<std::uint16_t>(~folded_sum());
    }
    [[nodiscard]] constexpr bool verifies() const noexcept { return folded_sum() == kLowWord; }

private:
    static constexpr unsigned kBitsPerByte = 8;
    static constexpr unsigned kBitsPerWord = 16;
    static constexpr std::uint32_t kLowByte = 0xFFU;
    static constexpr std::uint32_t kLowWord = 0xFFFFU;
    static constexpr unsigned kBitsPer32 = 32;
    static constexpr std::uint64_t kLow32 = 0xFFFF'FFFFU;

    // A 64-bit sum folded to 16 bits with end-around carries: 0 only when every addend was.
    [[nodiscard]] static constexpr std::uint16_t fold(std::uint64_t sum) noexcept {
        sum = (sum & kLow32) + (sum >> kBitsPer32);      // below 2^33
        sum = (sum & kLowWord) + (sum >> kBitsPerWord);  // below 2^17 + 2^16
        sum = (sum & kLowWord) + (sum >> kBitsPerWord);  // at most 0xFFFF + 2
        sum = (sum & kLowWord) + (sum >> kBitsPerWord);
        return static_cast<std::uint16_t>(sum);
    }

    // One's-complement addition: the carry out of bit 63 goes back in at bit 0.
    static void add_with_carry(std::uint64_t& sum, std::uint64_t word) noexcept {
        sum += word;
        sum += sum < word ? 1U : 0U;
    }

    // Eight bytes at `at` in the host's byte order; the caller checked they are there.
    [[nodiscard]] static std::uint64_t load_host_word(Bytes bytes, std::size_t at) noexcept {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + at, sizeof word);
        return word;
    }

    // A folded sum of host-order pairs as the sum of the same pairs in network order.
    [[nodiscard]] static constexpr std::uint16_t to_network_order(std::uint16_t host_sum) noexcept {
        if constexpr (std::endian::native == std::endian::big) return host_sum;
        return static_cast<std::uint16_t>((host_sum >> kBitsPerByte) | ((host_sum & kLowByte) << kBitsPerByte));
    }

    // Sums whole 32-bit words; only called on a pair boundary (odd_ false).
    template <std::size_t N>
    constexpr void add_words(FixedBytes<N> bytes) noexcept {
        static_assert(N % kWordBytes == 0);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            sum_ += (std::uint64_t{be32<I * kWordBytes>(bytes)} + ...);
        }
        (std::make_index_sequence<N / kWordBytes>{});
    }

    constexpr void add_byte(std::uint8_t byte) noexcept {
        sum_ += odd_ ? byte : static_cast<std::uint64_t>(byte) << kBitsPerByte;
        odd_ = !odd_;
    }

    // 64 bits: no carry is lost before folding (each addition is below 2^34, so it would take
    // over 2^30 additions, gigabytes of data, to overflow).
    std::uint64_t sum_{0};
    bool odd_{false};  // the next byte is the low-order half of a pair
};

// IPv6 pseudo-header (RFC 8200 8.1): source, destination, upper-layer length, next header.
void add_ipv6_pseudo_header(InternetChecksum& sum, const IpAddress& src, const IpAddress& dst,
                            std::uint32_t upper_layer_length, std::uint8_t next_header) noexcept;

// True when an ICMPv4 message (header with its checksum field, plus data) verifies.
[[nodiscard]] bool icmpv4_checksum_verifies(Bytes message) noexcept;

// True when an ICMPv6 message verifies against the pseudo-header of src/dst; the
// upper-layer length is the message length.
[[nodiscard]] bool icmpv6_checksum_verifies(const IpAddress& src, const IpAddress& dst, Bytes message) noexcept;

}  // namespace icmpgate::decode
