#include "filter/log/json_line.h"

#include <array>

#include "filter/decode/icmp_catalogue.h"
#include "filter/log/community_id.h"

namespace icmpgate::log {
namespace {

constexpr std::uint32_t kFragmentUnitBytes = 8;  // offsets are carried in 8-byte units (RFC 791, RFC 8200 4.5)
constexpr std::string_view kEventTypeAlert = "alert";

// The words written with plain_string_value (no escape scan) must need no escaping. The ICMP
// catalogue's names are checked where they are defined (filter/decode/icmp_catalogue.cc).
constexpr bool is_plain_word(std::string_view text) noexcept {
    for (const char c : text)
        if (!is_plain_json_byte(c)) return false;
    return true;
}
constexpr bool fixed_words_are_plain() noexcept {
    constexpr std::array kReasons{verdict::Reason::rule,           verdict::Reason::default_verdict,
                                  verdict::Reason::protected_type, verdict::Reason::rate_limit,
                                  verdict::Reason::anomaly,        verdict::Reason::not_icmp};
    bool plain = is_plain_word(kEventTypeAlert) && is_plain_word("drop") && is_plain_word("accept");
    for (const verdict::Reason reason : kReasons) {
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

template <JsonKey Key>
void write_address(JsonWriter& out, const decode::IpAddress& address) noexcept {
    out.key<Key>();
    out.formatted_string_value<decode::kIpAddressTextMax>(
        [&address](char* text) { return decode::put_ip_text(text, address); });
}

// A protocol as EVE spells it, or its number when EVE has no name for it.
void write_protocol(JsonWriter& out, std::uint8_t protocol) noexcept {
    out.key<"proto">();
    const std::string_view name = eve_protocol_name(protocol);
    if (name.empty())
        out.unsigned_value(protocol);
    else
        out.plain_string_value(name);
}

void write_context(JsonWriter& out, const VerdictRecord& record) noexcept {
    if (record.replay) {
        out.key<"pcap_cnt">();
        out.unsigned_value(record.replay->frame);
        out.key<"pcap_filename">();
        out.string_value(clamp_utf8(record.replay->pcap_filename, kPcapFilenameMax));
        out.key<"frame">();
        out.unsigned_value(record.replay->frame);
    }
    if (record.queue) {
        out.key<"queue">();
        out.unsigned_value(record.queue->queue);
        out.key<"packet_id">();
        out.unsigned_value(record.queue->packet_id);
    }
    if (!record.in_iface.empty()) {
        out.key<"in_iface">();
        out.string_value(record.in_iface.view());
    }
    if (!record.out_iface.empty()) {
        out.key<"out_iface">();
        out.string_value(record.out_iface.view());
    }
}

void write_ip_header(JsonWriter& out, const decode::DecodedPacket& packet) noexcept {
    if (!packet.is_ip) return;
    write_address<"src_ip">(out, packet.src);
    write_address<"dest_ip">(out, packet.dst);
    write_protocol(out, packet.protocol);
    out.key<"ip_v">();
    out.unsigned_value(static_cast<std::uint8_t>(packet.family));
}

void write_icmp_header(JsonWriter& out, const decode::DecodedPacket& packet) noexcept {
    if (!packet.has_icmp_header) return;
    out.key<"icmp_type">();
    out.unsigned_value(packet.icmp_type);
    out.key<"icmp_code">();
    out.unsigned_value(packet.icmp_code);
    const std::string_view type_name = decode::icmp_type_name(packet.family, packet.icmp_type);
    if (!type_name.empty()) {
        out.key<"icmp_type_name">();
        out.plain_string_value(type_name);
    }
    const std::string_view code_name = decode::icmp_code_name(packet.family, packet.icmp_type, packet.icmp_code);
    if (!code_name.empty()) {
        out.key<"icmp_code_name">();
        out.plain_string_value(code_name);
    }
}

void write_decision(JsonWriter& out, const VerdictRecord& record) noexcept {
    out.key<"verdict">();
    out.plain_string_value(record.decision.verdict == rules::Verdict::drop ? "drop" : "accept");
    const TwoPartText reason = reason_text(record.decision);
    out.key<"reason">();
    out.plain_string_value(reason.first, reason.second);
    out.key<"rule">();
    if (record.rule_id.empty())
        out.null_value();
    else
        out.string_value(clamp_utf8(record.rule_id, kRuleIdMax));
    if (record.decision.reason == verdict::Reason::rate_limit && !record.limiter_name.empty()) {
        out.key<"limiter">();
        out.string_value(clamp_utf8(record.limiter_name, kLimiterNameMax));
    }
}

void write_type_specific(JsonWriter& out, const decode::DecodedPacket& packet) noexcept {
    if (packet.echo) {
        out.key<"icmp_id">();
        out.unsigned_value(packet.echo->id);
        out.key<"icmp_seq">();
        out.unsigned_value(packet.echo->sequence);
    }
    if (packet.mtu) {
        out.key<"mtu">();
        out.unsigned_value(*packet.mtu);
    }
    if (packet.pointer) {
        out.key<"pointer">();
        out.unsigned_value(*packet.pointer);
    }
    if (packet.gateway) write_address<"gateway">(out, *packet.gateway);
    if (packet.has_icmp_header) {
        out.key<"payload_size">();
        out.unsigned_value(packet.payload_size);
    }
    if (packet.is_ip && packet.is_fragment) {
        out.key<"fragment">();
        out.begin_object();
        out.key<"offset">();
        out.unsigned_value(std::uint32_t{packet.fragment_offset} * kFragmentUnitBytes);
        out.key<"more">();
        out.bool_value(packet.more_fragments);
        out.end_object();
    }
}

void write_embedded(JsonWriter& out, const decode::QuotedPacket& quote) noexcept {
    out.key<"embedded">();
    out.begin_object();
    write_protocol(out, quote.protocol);
    write_address<"src_ip">(out, quote.src);
    write_address<"dest_ip">(out, quote.dst);
    if (quote.src_port) {
        out.key<"src_port">();
        out.unsigned_value(*quote.src_port);
    }
    if (quote.dst_port) {
        out.key<"dest_port">();
        out.unsigned_value(*quote.dst_port);
    }
    if (quote.icmp) {
        out.key<"icmp_type">();
        out.unsigned_value(quote.icmp->type);
        out.key<"icmp_code">();
        out.unsigned_value(quote.icmp->code);
        if (quote.icmp->echo) {
            out.key<"icmp_id">();
            out.unsigned_value(quote.icmp->echo->id);
            out.key<"icmp_seq">();
            out.unsigned_value(quote.icmp->echo->sequence);
        }
    }
    out.key<"total_length">();
    out.unsigned_value(quote.total_length);
    if (quote.fragment_offset != 0) {
        out.key<"fragment_offset">();
        out.unsigned_value(std::uint32_t{quote.fragment_offset} * kFragmentUnitBytes);
    }
    out.end_object();
}

// Every anomaly that applied, in precedence order, whatever the policy does with it.
void write_anomalies(JsonWriter& out, const decode::AnomalySet& anomalies) noexcept {
    if (anomalies.none()) return;
    out.key<"anomalies">();
    out.begin_array();
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        if (anomalies.test(info.anomaly)) out.plain_string_value(info.name);
    out.end_array();
}

void write_alert(JsonWriter& out, const VerdictRecord& record) noexcept {
    out.key<"alert">();
    out.begin_object();
    out.key<"action">();
    out.plain_string_value(alert_action(record.decision.verdict));
    const TwoPartText signature = alert_signature(record);
    out.key<"signature">();
    out.string_value(clamp_utf8(signature.first, kRuleIdMax), clamp_utf8(signature.second, kRuleIdMax));
    out.key<"category">();
    out.plain_string_value(alert_category(record.decision.reason));
    out.key<"severity">();
    out.unsigned_value(alert_severity(record.decision));
    if (record.signature_id) {
        out.key<"signature_id">();
        out.unsigned_value(*record.signature_id);
    }
    out.end_object();
}

}  // namespace

bool JsonLine::format(const VerdictRecord& record) noexcept {
    JsonWriter out{buffer_};
    out.begin_object();
    out.key<"timestamp">();
    out.raw_string_value(timestamps_.format(record.time_ns));
    out.key<"event_type">();
    out.plain_string_value(kEventTypeAlert);
    write_context(out, record);
    write_ip_header(out, record.packet);
    write_icmp_header(out, record.packet);
    if (record.community_id_seed) {
        if (const std::optional<CommunityId> id = community_id(record.packet, *record.community_id_seed)) {
            out.key<"community_id">();
            out.raw_string_value(id->view());
        }
    }
    write_decision(out, record);
    write_type_specific(out, record.packet);
    if (record.packet.quoted) write_embedded(out, *record.packet.quoted);
    write_anomalies(out, record.anomalies);
    out.key<"policy">();
    out.string_value(clamp_utf8(record.policy_digest, kPolicyDigestMax));
    write_alert(out, record);
    out.end_object();
    out.append_raw("\n");
    size_ = out.overflowed() ? 0 : out.size();
    return !out.overflowed();
}

}  // namespace icmpgate::log
