#pragma once
// Addresses as a log line writes them. IPv4 is dotted decimal; IPv6 is RFC 5952 text by
// default, or, for pipelines that join on Suricata's text, Suricata's expanded form: eight
// groups of four lowercase hex digits, no "::" ("2001:0db8:0000:0000:0000:0000:0000:0001").

#include <cstddef>
#include <cstdint>

#include "filter/decode/ip_address.h"

namespace icmpgate::log {

enum class Ipv6Text : std::uint8_t { rfc5952, expanded };

inline constexpr std::size_t kIpv6ExpandedLength = 39;

// Suricata's expanded IPv6 text of `address` (an IPv6 address) at `out`; returns its end.
// Room: kIpv6ExpandedLength.
char* put_ipv6_expanded(char* out, const decode::IpAddress& address) noexcept;

// The text of `address` in the given IPv6 form at `out`; returns its end. Room:
// decode::kIpAddressTextMax (decode::put_ip_text may write past the text within it).
inline char* put_address_text(char* out, const decode::IpAddress& address, Ipv6Text ipv6) noexcept {
    if (ipv6 == Ipv6Text::expanded && address.family == decode::Family::ipv6) return put_ipv6_expanded(out, address);
    return decode::put_ip_text(out, address);
}

}  // namespace icmpgate::log
