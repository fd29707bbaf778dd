#pragma once
// A packet's fields as the command line's tables print them (replay --format table, replay
// --compare --format table): the addresses, the time of day and the ICMP type and code by name.

#include <cstdint>
#include <string>

#include "filter/decode/decoded_packet.h"
#include "filter/log/ip_text.h"

namespace icmpgate::app {

// An address as a verdict line writes it.
[[nodiscard]] std::string address_text(const decode::IpAddress& address, log::Ipv6Text ipv6 = log::Ipv6Text::rfc5952);
// "192.0.2.1 -> 198.51.100.7"; "?" for an address the decoder could not read, "-" when not IP.
[[nodiscard]] std::string addresses_text(const decode::DecodedPacket& packet,
                                         log::Ipv6Text ipv6 = log::Ipv6Text::rfc5952);
// "HH:MM:SS.uuuuuu" (UTC) of a time in ns since the epoch.
[[nodiscard]] std::string time_of_day(std::int64_t time_ns);
// "echo-request", "destination-unreachable/port-unreachable", "type 42/3"; "(not IP)",
// "(fragment)", "(truncated)" or "(TCP)" when there is no ICMP header.
[[nodiscard]] std::string type_code_text(const decode::DecodedPacket& packet);

}  // namespace icmpgate::app
