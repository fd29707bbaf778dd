#include "rules/port_range.h"

#include <charconv>
#include <optional>

namespace icmpgate::rules {
namespace {

std::optional<unsigned> parse_number(std::string_view digits) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

}  // namespace

std::variant<PortRange, std::string> parse_port_range(std::string_view text) {
    const std::string quoted = "'" + std::string(text) + "'";
    const std::size_t dash = text.find('-');
    const std::optional<unsigned> first = parse_number(text.substr(0, dash));
    const std::optional<unsigned> last = dash == std::string_view::npos ? first : parse_number(text.substr(dash + 1));
    if (!first || !last) return quoted + " is not a port or a port range 'first-last'";
    if (*first > kPortMax || *last > kPortMax) return quoted + " is out of range 0..65535";
    if (*first > *last) {
        return quoted + " is not a port range: " + std::to_string(*first) + " is greater than " + std::to_string(*last);
    }
    return PortRange{static_cast<std::uint16_t>(*first), static_cast<std::uint16_t>(*last)};
}

}  // namespace icmpgate::rules
