#pragma once
// Every anomaly icmpgate can report, in one table: enum, contract name, default action.
// The order of the table is the precedence order: when several anomalies apply to one
// packet, the first enabled one in this order decides (so a truncated packet is never
// judged on its checksum). The first nine rows are the contract's; too_many_extension_headers
// names a case that used to be reported as truncated and keeps its default (drop); the rest are
// extra checks from shared/REFERENCE.md that stay off unless a policy enables them.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace icmpgate::decode {

enum class Anomaly : std::uint8_t {
    truncated,                   // outer headers or declared lengths do not fit the bytes
    bad_checksum,                // ICMP / ICMPv6 checksum wrong (only where it can be judged)
    error_about_error,           // RFC 1122 3.2.2, RFC 4443 2.4(e.1, e.2)
    bad_embedded,                // quote is not an IP header of the same family plus 8 bytes
    embedded_mismatch,           // quoted source != outer destination
    implausible_mtu,             // RFC 1191 3-5, RFC 8201 4
    quoted_fragment,             // error quoting a non-first fragment (RFC 1122 3.2.2 (4))
    quoted_multicast,            // error about a packet sent to multicast/broadcast (RFC 4443 2.4(e.3))
    fragment,                    // a non-first fragment: no ICMP header to judge
    too_many_extension_headers,  // an IPv6 chain past the decoder's bound (kMaxExtensionHeaders, RFC 8883 3.2)
    // Extra checks, off by default.
    wrong_family,       // ICMPv6 in IPv4 or ICMP in IPv6 (pf, Suricata ipv4.icmpv6)
    bad_hop_limit,      // ND/Redirect not at hop limit 255, MLD not at 1 or not link-local (RFC 4861, 2710)
    oversized_error,    // ICMPv6 error over 1280 bytes (RFC 4443 2.4(c)), ICMPv4 error over 576 (RFC 1812 4.3.2.3)
    quoted_bad_source,  // quoted source is not a single host (RFC 1122 3.2.2 (5), RFC 4443 2.4(e.6))
    bad_extension,      // RFC 4884: length attribute too short or past the message, or a malformed structure
    unknown_type,       // type not in the IANA registry (RFC 1122 3.2.2, RFC 4443 2.4(a,b))
    count_
};

inline constexpr std::size_t kAnomalyCount = static_cast<std::size_t>(Anomaly::count_);

enum class AnomalyAction : std::uint8_t { off, drop, accept };

struct AnomalyInfo {
    Anomaly anomaly;
    std::string_view name;  // contract spelling, used in policies and logs
    AnomalyAction default_action;
    std::string_view summary;  // one line for docs and `icmpgate check`
};

inline constexpr std::array<AnomalyInfo, kAnomalyCount> kAnomalies{{
    {Anomaly::truncated, "truncated", AnomalyAction::drop, "outer headers or declared lengths do not fit the bytes"},
    {Anomaly::bad_checksum, "bad-checksum", AnomalyAction::drop, "ICMP/ICMPv6 checksum does not verify"},
    {Anomaly::error_about_error, "error-about-error", AnomalyAction::drop, "an error message quoting an error message"},
    {Anomaly::bad_embedded, "bad-embedded", AnomalyAction::drop,
     "the quote is not an IP header of the same family plus 8 bytes"},
    {Anomaly::embedded_mismatch, "embedded-mismatch", AnomalyAction::drop,
     "the quoted source is not the error's destination"},
    {Anomaly::implausible_mtu, "implausible-mtu", AnomalyAction::drop,
     "Frag Needed / Packet Too Big with an impossible MTU or a quote without DF"},
    {Anomaly::quoted_fragment, "quoted-fragment", AnomalyAction::drop, "an error quoting a non-first fragment"},
    {Anomaly::quoted_multicast, "quoted-multicast", AnomalyAction::drop,
     "an error about a packet sent to multicast or broadcast"},
    {Anomaly::fragment, "fragment", AnomalyAction::accept, "a non-first fragment (no ICMP header)"},
    {Anomaly::too_many_extension_headers, "too-many-extension-headers", AnomalyAction::drop,
     "an IPv6 packet with more than 16 extension headers before its upper layer"},
    {Anomaly::wrong_family, "wrong-family", AnomalyAction::off, "ICMPv6 carried in IPv4 or ICMP in IPv6"},
    {Anomaly::bad_hop_limit, "bad-hop-limit", AnomalyAction::off,
     "ND/Redirect with hop limit != 255, MLD with hop limit != 1 or a non link-local source"},
    {Anomaly::oversized_error, "oversized-error", AnomalyAction::off,
     "an ICMPv6 error over 1280 bytes or an ICMPv4 error over 576 bytes"},
    {Anomaly::quoted_bad_source, "quoted-bad-source", AnomalyAction::off,
     "the quoted source is not a single host (unspecified, loopback, multicast, class E)"},
    {Anomaly::bad_extension, "bad-extension", AnomalyAction::off,
     "an RFC 4884 length attribute under 128 bytes or past the message, or a malformed extension structure"},
    {Anomaly::unknown_type, "unknown-type", AnomalyAction::off, "a type not in the IANA registry"},
}};

static_assert(
    [] {
        for (std::size_t i = 0; i < kAnomalyCount; ++i)
            if (static_cast<std::size_t>(kAnomalies[i].anomaly) != i) return false;
        return true;
    }(),
    "kAnomalies rows must follow the enum order");

[[nodiscard]] constexpr std::string_view anomaly_name(Anomaly a) noexcept {
    return kAnomalies[static_cast<std::size_t>(a)].name;
}

[[nodiscard]] constexpr std::optional<Anomaly> anomaly_from_name(std::string_view name) noexcept {
    for (const AnomalyInfo& info : kAnomalies)
        if (info.name == name) return info.anomaly;
    return std::nullopt;
}

// Which anomalies apply to one packet (all of them, whatever the policy says).
class AnomalySet {
public:
    constexpr void set(Anomaly a) noexcept { bits_ |= bit(a); }
    constexpr void add(AnomalySet other) noexcept { bits_ |= other.bits_; }
    [[nodiscard]] constexpr bool test(Anomaly a) const noexcept { return (bits_ & bit(a)) != 0; }
    [[nodiscard]] constexpr bool none() const noexcept { return bits_ == 0; }
    [[nodiscard]] constexpr std::uint32_t bits() const noexcept { return bits_; }
    friend constexpr bool operator==(const AnomalySet&, const AnomalySet&) noexcept = default;

private:
    static constexpr std::uint32_t bit(Anomaly a) noexcept { return 1U << static_cast<unsigned>(a); }
    std::uint32_t bits_{0};
};
static_assert(kAnomalyCount <= 32);

}  // namespace icmpgate::decode
