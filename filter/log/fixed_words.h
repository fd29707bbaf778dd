#pragma once
// The program's own words that log lines write without an escape scan (put_word, line_writer.h):
// the longest of each kind, worked out from its table at compile time, and a compile-time check
// that none needs escaping. ICMP type and code names are checked where the catalogue is
// defined (filter/decode/icmp_catalogue.cc, decode::kIcmpNameMax).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "filter/decode/anomaly.h"
#include "filter/decode/decoded_packet.h"
#include "filter/log/json_text.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::log::words {

constexpr bool is_plain_word(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), is_plain_json_byte);
}

// Every reason the engine can give (reason_name has a name for it).
template <typename Visit>
constexpr void for_each_reason(Visit visit) noexcept {
    for (unsigned value = 0; value <= UINT8_MAX; ++value) {
        const auto reason = static_cast<verdict::Reason>(value);
        const std::string_view name = verdict::reason_name(reason);
        if (!name.empty() && name != "?") visit(reason);
    }
}

// reason_text of every decision: a reason, or "anomaly:" and an anomaly's name.
template <typename Visit>
constexpr void for_each_reason_text(Visit visit) noexcept {
    for_each_reason([&](verdict::Reason reason) {
        for (const decode::AnomalyInfo& info : decode::kAnomalies) {
            verdict::Decision decision;
            decision.reason = reason;
            decision.anomaly = info.anomaly;
            visit(reason_text(decision));
        }
    });
}

constexpr std::size_t kReasonNameMax = [] {
    std::size_t longest = 0;
    for_each_reason([&](verdict::Reason reason) { longest = std::max(longest, verdict::reason_name(reason).size()); });
    return longest;
}();
constexpr std::size_t kReasonTextMax = [] {
    std::size_t longest = 0;
    for_each_reason_text(
        [&](const TwoPartText& text) { longest = std::max(longest, text.first.size() + text.second.size()); });
    return longest;
}();
constexpr std::size_t kCategoryMax = [] {
    std::size_t longest = 0;
    for_each_reason([&](verdict::Reason reason) { longest = std::max(longest, alert_category(reason).size()); });
    return longest;
}();
constexpr std::size_t kAnomalyNameMax = [] {
    std::size_t longest = 0;
    for (const decode::AnomalyInfo& info : decode::kAnomalies) longest = std::max(longest, info.name.size());
    return longest;
}();
constexpr std::size_t kProtocolNameMax = [] {
    std::size_t longest = 0;
    for (unsigned protocol = 0; protocol <= UINT8_MAX; ++protocol)
        longest = std::max(longest, eve_protocol_name(static_cast<std::uint8_t>(protocol)).size());
    return longest;
}();

// RFC 5837 4.1's four roles, as icmpgate.extensions.interfaces[].role spells them.
[[nodiscard]] constexpr std::string_view interface_role_name(decode::InterfaceRole role) noexcept {
    switch (role) {
        case decode::InterfaceRole::incoming:
            return "incoming";
        case decode::InterfaceRole::incoming_sub_ip:
            return "incoming-sub-ip";
        case decode::InterfaceRole::outgoing:
            return "outgoing";
        case decode::InterfaceRole::next_hop:
            return "next-hop";
    }
    return "incoming";
}
constexpr std::size_t kInterfaceRoleMax = 15;

constexpr bool fixed_words_are_plain() noexcept {
    bool plain = true;
    for_each_reason_text(
        [&](const TwoPartText& text) { plain = plain && is_plain_word(text.first) && is_plain_word(text.second); });
    for_each_reason([&](verdict::Reason reason) { plain = plain && is_plain_word(alert_category(reason)); });
    for (const decode::AnomalyInfo& info : decode::kAnomalies) plain = plain && is_plain_word(info.name);
    for (unsigned protocol = 0; protocol <= UINT8_MAX; ++protocol)
        plain = plain && is_plain_word(eve_protocol_name(static_cast<std::uint8_t>(protocol)));
    for (unsigned role = 0; role < 4; ++role) {
        const std::string_view name = interface_role_name(static_cast<decode::InterfaceRole>(role));
        plain = plain && is_plain_word(name) && name.size() <= kInterfaceRoleMax;
    }
    return plain;
}
static_assert(fixed_words_are_plain(), "words written without an escape scan must need no escaping");

// A policy's names are copied without a scan when rules::is_plain_text passed them all
// (PolicyName, verdict_record.h): it must be the JSON escape rule, byte for byte.
constexpr bool policy_plain_text_is_plain_json() noexcept {
    for (unsigned byte = 0; byte <= UINT8_MAX; ++byte) {
        const char c = static_cast<char>(byte);
        if (rules::is_plain_text({&c, 1}) != is_plain_json_byte(c)) return false;
    }
    return true;
}
static_assert(policy_plain_text_is_plain_json(), "rules::is_plain_text must match the JSON escape rule");

}  // namespace icmpgate::log::words
