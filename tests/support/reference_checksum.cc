#include "tests/support/reference_checksum.h"

#include <stdexcept>

namespace icmpgate::test {

std::uint16_t reference_folded_sum(std::span<const std::uint8_t> bytes) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        const std::uint32_t high = bytes[i];
        const std::uint32_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0U;
        sum += (high << 8U) | low;
        sum = (sum & 0xFFFFU) + (sum >> 16U);  // end-around carry after every word
    }
    return static_cast<std::uint16_t>(sum);
}

std::uint16_t reference_checksum(std::span<const std::uint8_t> bytes) {
    return static_cast<std::uint16_t>(~reference_folded_sum(bytes));
}

std::vector<std::uint8_t> pseudo_header(const decode::IpAddress& src, const decode::IpAddress& dst,
                                        std::uint8_t protocol, std::size_t upper_layer_length) {
    if (src.family != dst.family) throw std::invalid_argument("pseudo_header: addresses of two families");
    std::vector<std::uint8_t> out(src.bytes.begin(), src.bytes.begin() + static_cast<std::ptrdiff_t>(src.size()));
    out.insert(out.end(), dst.bytes.begin(), dst.bytes.begin() + static_cast<std::ptrdiff_t>(dst.size()));
    if (src.family == decode::Family::ipv4) {
        if (upper_layer_length > 0xFFFFU) throw std::invalid_argument("pseudo_header: IPv4 length over 65535");
        out.push_back(0);
        out.push_back(protocol);
        out.push_back(static_cast<std::uint8_t>(upper_layer_length >> 8U));
        out.push_back(static_cast<std::uint8_t>(upper_layer_length & 0xFFU));
    } else {
        if (upper_layer_length > 0xFFFF'FFFFU) throw std::invalid_argument("pseudo_header: IPv6 length over 2^32 - 1");
        for (const unsigned shift : {24U, 16U, 8U, 0U})
            out.push_back(static_cast<std::uint8_t>((upper_layer_length >> shift) & 0xFFU));
        out.insert(out.end(), {0, 0, 0, protocol});
    }
    return out;
}

}  // namespace icmpgate::test
