#include "filter/log/json_line.h"

#include <array>
#include <cstring>
#include <optional>

#include "filter/decode/icmp_catalogue.h"
#include "filter/log/builtin_signatures.h"
#include "filter/log/community_id.h"
#include "filter/log/icmpgate_event.h"

namespace icmpgate::log {
namespace {

constexpr std::uint32_t kFragmentUnitBytes = 8;  // offsets are carried in 8-byte units (RFC 791, RFC 8200 4.5)
constexpr std::string_view kEventTypeAlert = "alert";

// The words written with put_word or put_plain_string (no escape scan) must need no escaping. The ICMP
// catalogue's names are checked where they are defined (filter/decode/icmp_catalogue.cc).
constexpr bool is_plain_word(std::string_view text) noexcept {
    for (const char c : text)
        if (!is_plain_json_byte(c)) return false;
    return true;
}
constexpr bool fixed_words_are_plain() noexcept {
    bool plain = is_plain_word(kEventTypeAlert);
    for (const verdict::ReasonInfo& row : verdict::kReasons) {
        const verdict::Reason reason = row.reason;
        plain = plain && is_plain_word(alert_category(reason));
        for (const decode::AnomalyInfo& info : decode::kAnomalies) {
            verdict::Decision decision;
            decision.reason = reason;
            decision.anomaly = info.anomaly;
            const TwoPartText text = reason_text(decision);
            plain = plain && is_plain_word(text.first) && is_plain_word(text.second) && is_plain_word(info.name);
        }
    }
    for (unsigned protocol = 0; protocol <= 0xFF; ++protocol)
        plain = plain && is_plain_word(eve_protocol_name(static_cast<std::uint8_t>(protocol)));
    return plain && is_plain_word(alert_action(rules::Verdict::accept)) &&
           is_plain_word(alert_action(rules::Verdict::drop));
}
static_assert(fixed_words_are_plain(), "words written without an escape scan must need no escaping");

// The policy's names are copied without a scan when rules::is_plain_text passed them all.
constexpr bool policy_plain_text_is_plain_json() noexcept {
    for (unsigned byte = 0; byte <= 0xFF; ++byte) {
        const char c = static_cast<char>(byte);
        if (rules::is_plain_text({&c, 1}) != is_plain_json_byte(c)) return false;
    }
    return true;
}
static_assert(policy_plain_text_is_plain_json(), "rules::is_plain_text must match the JSON escape rule");

// Each function below appends to the line at `out` and returns the line's new end, with no
// room check: the buffer holds the worst-case line (kLineWorstCase, json_line.h).

template <JsonKey Key>
char* put_number(char* out, std::uint64_t value) noexcept {
    return put_unsigned(put_key<Key>(out), value);
}

// A word of the program's own (fixed_words_are_plain above, the ICMP catalogue): no scan.
template <JsonKey Key>
char* put_word(char* out, std::string_view first, std::string_view second = {}) noexcept {
    return put_plain_string(put_key<Key>(out), first, second);
}

// A name from the policy, cut at its bound: copied when the policy found all its names plain
// (VerdictRecord::names_are_plain), escaped otherwise. Two parts are written as one string.
char* put_policy_name(char* out, const VerdictRecord& record, std::string_view first, std::string_view second,
                      std::size_t max_bytes) noexcept {
    first = clamp_utf8(first, max_bytes);
    second = clamp_utf8(second, max_bytes);
    return record.names_are_plain ? put_plain_string(out, first, second) : put_escaped_string(out, first, second);
}

char* put_address_value(char* out, const decode::IpAddress& address, Ipv6Text ipv6) noexcept {
    *out++ = '"';
    out = put_address_text(out, address, ipv6);  // room: kIpAddressTextMax
    *out++ = '"';
    return out;
}

template <JsonKey Key>
char* put_address(char* out, const decode::IpAddress& address, Ipv6Text ipv6) noexcept {
    return put_address_value(put_key<Key>(out), address, ipv6);
}

// A protocol as EVE spells it, or its decimal text when EVE has no name for it (a string
// either way, as Suricata writes "proto").
char* put_protocol_value(char* out, std::uint8_t protocol) noexcept {
    const std::string_view name = eve_protocol_name(protocol);
    if (!name.empty()) return put_plain_string(out, name);
    *out++ = '"';
    out = put_unsigned(out, protocol);
    *out++ = '"';
    return out;
}

// EVE's header up to event_type, in Suricata's order: in_iface, pcap_cnt.
char* put_capture_header(char* out, const VerdictRecord& record) noexcept {
    // Interface names are at most decode::kInterfaceNameMax bytes already.
    if (!record.in_iface.empty()) out = put_escaped_string(put_key<"in_iface">(out), record.in_iface.view());
    if (record.replay) out = put_number<"pcap_cnt">(out, record.replay->frame);
    return out;
}

// Where the packet came from, under "icmpgate": the queue and the kernel's packet id, and the
// output interface (EVE has no field for it).
char* put_queue_context(char* out, const VerdictRecord& record) noexcept {
    if (record.queue) {
        out = put_number<"queue">(out, record.queue->queue);
        out = put_number<"packet_id">(out, record.queue->packet_id);
    }
    if (!record.out_iface.empty()) out = put_escaped_string(put_key<"out_iface">(out), record.out_iface.view());
    return out;
}

// Only the fields the decoder read: a header cut short has no destination (and maybe no
// source or protocol), which is left out rather than written from defaults.
char* put_ip_header(char* out, const decode::DecodedPacket& packet, Ipv6Text ipv6) noexcept {
    if (!packet.is_ip) return out;
    if (packet.has_src) out = put_address<"src_ip">(out, packet.src, ipv6);
    if (packet.has_dst) out = put_address<"dest_ip">(out, packet.dst, ipv6);
    if (packet.has_protocol) out = put_protocol_value(put_key<"proto">(out), packet.protocol);
    return put_number<"ip_v">(out, static_cast<std::uint8_t>(packet.family));
}

char* put_icmp_header(char* out, const decode::DecodedPacket& packet) noexcept {
    if (!packet.has_icmp_header) return out;
    out = put_number<"icmp_type">(out, packet.icmp_type);
    return put_number<"icmp_code">(out, packet.icmp_code);
}

// The catalogue's names of the type and code (icmpgate's own fields).
char* put_icmp_names(char* out, const decode::DecodedPacket& packet) noexcept {
    if (!packet.has_icmp_header) return out;
    const std::string_view type_name = decode::icmp_type_name(packet.family, packet.icmp_type);
    if (!type_name.empty()) out = put_word<"icmp_type_name">(out, type_name);
    const std::string_view code_name = decode::icmp_code_name(packet.family, packet.icmp_type, packet.icmp_code);
    if (!code_name.empty()) out = put_word<"icmp_code_name">(out, code_name);
    return out;
}

char* put_community_id(char* out, const VerdictRecord& record) noexcept {
    if (!record.community_id_seed) return out;
    const std::optional<CommunityId> id = community_id(record.packet, *record.community_id_seed);
    return id ? put_word<"community_id">(out, id->view()) : out;  // "1:" and base64: plain
}

// Why: the reason, the rule (null when none decided) and the limiter of a rate-limit drop.
char* put_decision(char* out, const VerdictRecord& record) noexcept {
    const TwoPartText reason = reason_text(record.decision);
    out = put_word<"reason">(out, reason.first, reason.second);
    if (record.rule_id.empty()) {
        out = put_key<"rule">(out);
        std::memcpy(out, "null", 4);
        out += 4;
    } else {
        out = put_policy_name(put_key<"rule">(out), record, record.rule_id, {}, kRuleIdMax);
    }
    if (record.decision.reason == verdict::Reason::rate_limit && !record.limiter_name.empty())
        out = put_policy_name(put_key<"limiter">(out), record, record.limiter_name, {}, kLimiterNameMax);
    return out;
}

char* put_type_specific(char* out, const decode::DecodedPacket& packet, Ipv6Text ipv6) noexcept {
    if (packet.echo) {
        out = put_number<"icmp_id">(out, packet.echo->id);
        out = put_number<"icmp_seq">(out, packet.echo->sequence);
    }
    if (packet.mtu) out = put_number<"mtu">(out, *packet.mtu);
    if (packet.pointer) out = put_number<"pointer">(out, *packet.pointer);
    if (packet.gateway) out = put_address<"gateway">(out, *packet.gateway, ipv6);
    if (packet.has_icmp_header) out = put_number<"payload_size">(out, packet.payload_size);
    if (packet.is_ip && packet.is_fragment) {
        out = put_key<"fragment">(out);
        *out++ = '{';
        out = put_unsigned(put_first_key<"offset">(out), std::uint32_t{packet.fragment_offset} * kFragmentUnitBytes);
        out = put_key<"more">(out);
        const std::string_view more = packet.more_fragments ? "true}" : "false}";
        out = put_plain(out, more);
    }
    return out;
}

char* put_embedded(char* out, const decode::QuotedPacket& quote, Ipv6Text ipv6) noexcept {
    out = put_key<"embedded">(out);
    *out++ = '{';
    out = put_protocol_value(put_first_key<"proto">(out), quote.protocol);
    out = put_address<"src_ip">(out, quote.src, ipv6);
    out = put_address<"dest_ip">(out, quote.dst, ipv6);
    if (quote.src_port) out = put_number<"src_port">(out, *quote.src_port);
    if (quote.dst_port) out = put_number<"dest_port">(out, *quote.dst_port);
    if (quote.icmp) {
        out = put_number<"icmp_type">(out, quote.icmp->type);
        out = put_number<"icmp_code">(out, quote.icmp->code);
        if (quote.icmp->echo) {
            out = put_number<"icmp_id">(out, quote.icmp->echo->id);
            out = put_number<"icmp_seq">(out, quote.icmp->echo->sequence);
        }
    }
    out = put_number<"total_length">(out, quote.total_length);
    if (quote.fragment_offset != 0)
        out = put_number<"fragment_offset">(out, std::uint32_t{quote.fragment_offset} * kFragmentUnitBytes);
    *out++ = '}';
    return out;
}

// Every anomaly that applied, in precedence order, whatever the policy does with it.
char* put_anomalies(char* out, const decode::AnomalySet& anomalies) noexcept {
    if (anomalies.none()) return out;
    out = put_key<"anomalies">(out);
    char separator = '[';
    for (const decode::AnomalyInfo& info : decode::kAnomalies) {
        if (!anomalies.test(info.anomaly)) continue;
        *out++ = separator;
        separator = ',';
        out = put_plain_string(out, info.name);
    }
    *out++ = ']';
    return out;
}

// EVE's alert object, with Suricata's members in Suricata's order: action, gid,
// signature_id, rev, signature, category, severity. The fixed runs of keys and values are
// copied as one text each.
constexpr std::string_view kAlertAllowed = R"(,"alert":{"action":"allowed","gid":1,"signature_id":)";
constexpr std::string_view kAlertBlocked = R"(,"alert":{"action":"blocked","gid":1,"signature_id":)";
constexpr std::string_view kAlertRevAndSignature = R"(,"rev":1,"signature":)";
constexpr bool contains(std::string_view text, std::string_view part) noexcept {
    return text.find(part) != std::string_view::npos;
}
static_assert(contains(kAlertAllowed, alert_action(rules::Verdict::accept)) &&
                  contains(kAlertBlocked, alert_action(rules::Verdict::drop)) && kAlertGid == 1 && kAlertRev == 1,
              "the alert's fixed texts spell alert_action, kAlertGid and kAlertRev");

char* put_alert(char* out, const VerdictRecord& record) noexcept {
    out = put_plain(out, record.decision.verdict == rules::Verdict::drop ? kAlertBlocked : kAlertAllowed);
    out = put_unsigned(out, record.signature_id);
    out = put_plain(out, kAlertRevAndSignature);
    const TwoPartText signature = alert_signature(record);
    // The rule id or a fixed word (reason_text, "rate-limit:"): plain when the names are.
    out = put_policy_name(out, record, signature.first, signature.second, kRuleIdMax);
    out = put_word<"category">(out, alert_category(record.decision.reason));
    out = put_number<"severity">(out, alert_severity(record.decision));
    *out++ = '}';
    return out;
}

// EVE's verdict object (Suricata's firewall mode spells the packet's fate "accept" or "drop"),
// then the start of the "icmpgate" object with the log format version, as one copy each.
constexpr std::string_view kVerdictAccept = R"(,"verdict":{"action":"accept"},"icmpgate":{"log_version":2)";
constexpr std::string_view kVerdictDrop = R"(,"verdict":{"action":"drop"},"icmpgate":{"log_version":2)";
static_assert(kLogVersion == 2, "kVerdictAccept and kVerdictDrop spell the log format version");

}  // namespace

bool JsonLine::format(const VerdictRecord& record) noexcept {
    const decode::DecodedPacket& packet = record.packet;
    char* out = buffer_.data();
    *out++ = '{';
    out = put_first_key<"timestamp">(out);
    *out++ = '"';
    out = timestamps_.put(out, record.time_ns);
    *out++ = '"';
    // EVE's header (docs/log-format.md, "EVE fields").
    out = put_capture_header(out, record);
    out = put_word<"event_type">(out, kEventTypeAlert);
    if (record.replay)
        out = put_escaped_string(put_key<"pcap_filename">(out),
                                 clamp_utf8(record.replay->pcap_filename, kPcapFilenameMax));
    out = put_ip_header(out, packet, record.ipv6_text);
    out = put_icmp_header(out, packet);
    out = put_community_id(out, record);
    out = put_alert(out, record);
    out = put_plain(out, record.decision.verdict == rules::Verdict::drop ? kVerdictDrop : kVerdictAccept);
    // icmpgate's own fields ("icmpgate" object), after its log_version.
    out = put_decision(out, record);
    out = put_queue_context(out, record);
    out = put_icmp_names(out, packet);
    out = put_type_specific(out, packet, record.ipv6_text);
    if (packet.quoted) out = put_embedded(out, *packet.quoted, record.ipv6_text);
    out = put_anomalies(out, record.anomalies);
    out = put_policy_name(put_key<"policy">(out), record, record.policy_digest, {}, kPolicyDigestMax);
    *out++ = '}';  // icmpgate
    *out++ = '}';
    *out++ = '\n';
    size_ = static_cast<std::size_t>(out - buffer_.data());
    return true;
}

}  // namespace icmpgate::log
