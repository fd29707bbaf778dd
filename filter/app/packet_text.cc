#include "filter/app/packet_text.h"

#include <array>
#include <string_view>

#include "filter/decode/icmp_catalogue.h"
#include "filter/log/eve_timestamp.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::app {
namespace {

// Characters of an EVE timestamp that are the time of day: "HH:MM:SS.uuuuuu".
constexpr std::size_t kTimeOfDayOffset = 11;
constexpr std::size_t kTimeOfDayLength = 15;

}  // namespace

std::string address_text(const decode::IpAddress& address, log::Ipv6Text ipv6) {
    std::array<char, decode::kIpAddressTextMax> text{};
    char* end = log::put_address_text(text.data(), address, ipv6);
    return std::string(text.data(), end);
}

std::string addresses_text(const decode::DecodedPacket& packet, log::Ipv6Text ipv6) {
    if (!packet.is_ip) return "-";
    return (packet.has_src ? address_text(packet.src, ipv6) : "?") + " -> " +
           (packet.has_dst ? address_text(packet.dst, ipv6) : "?");
}

std::string time_of_day(std::int64_t time_ns) {
    std::array<char, log::kEveTimestampLength> text{};
    log::format_eve_timestamp(time_ns, text);
    return std::string{text.data() + kTimeOfDayOffset, kTimeOfDayLength};
}

std::string type_code_text(const decode::DecodedPacket& packet) {
    if (!packet.is_ip) return "(not IP)";
    if (!packet.has_icmp_header) {
        if (packet.is_icmp || packet.is_fragment) return packet.is_fragment ? "(fragment)" : "(truncated)";
        const std::string_view name = log::eve_protocol_name(packet.protocol);
        return "(" + (name.empty() ? "protocol " + std::to_string(packet.protocol) : std::string{name}) + ")";
    }
    const std::string_view type_name = decode::icmp_type_name(packet.family, packet.icmp_type);
    const std::string_view code_name = decode::icmp_code_name(packet.family, packet.icmp_type, packet.icmp_code);
    std::string text = type_name.empty() ? "type " + std::to_string(packet.icmp_type) : std::string{type_name};
    if (!code_name.empty() && code_name != type_name)
        text += "/" + std::string{code_name};
    else if (code_name.empty() && packet.icmp_code != 0)
        text += "/" + std::to_string(packet.icmp_code);
    return text;
}

}  // namespace icmpgate::app
