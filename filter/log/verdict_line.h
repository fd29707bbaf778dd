#pragma once
// The layout of a verdict line (docs/log-format.md, "Verdict lines"): EVE's header, alert and
// verdict objects as Suricata's schema defines them, then icmpgate's own fields under
// "icmpgate". Written with the line writer (line_writer.h), so kVerdictLineMax, the size of
// JsonLine's buffer, is the worst case the compiler sums over this code.
//
// The words written without an escape scan (put_word) come from the program's tables; each is
// checked at compile time to need no escaping (fixed_words.h, or where the table is defined),
// and its bound is the table's longest word, worked out from the table.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "filter/decode/anomaly.h"
#include "filter/decode/decoded_packet.h"
#include "filter/decode/icmp_catalogue.h"
#include "filter/log/builtin_signatures.h"
#include "filter/log/community_id.h"
#include "filter/log/eve_timestamp.h"
#include "filter/log/fixed_words.h"
#include "filter/log/icmpgate_event.h"
#include "filter/log/line_writer.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::log {

namespace verdict_line {

using words::interface_role_name;
using words::kAnomalyNameMax;
using words::kCategoryMax;
using words::kInterfaceRoleMax;
using words::kProtocolNameMax;
using words::kReasonTextMax;

constexpr std::uint32_t kFragmentUnitBytes = 8;  // offsets are carried in 8-byte units (RFC 791, RFC 8200 4.5)

// ---- the parts of a line, in order ---------------------------------------------------------

// A name from the policy: copied when its compiler checked it plain (PolicyName), else escaped.
template <std::size_t MaxBytes, std::size_t N>
auto put_policy_name_text(Out<N> out, const PolicyName& name) noexcept {
    return either(
        name.plain(), out, [&](auto o) { return put_checked_plain_text<MaxBytes>(o, name.view()); },
        [&](auto o) { return put_escaped_text<MaxBytes>(o, name.view()); });
}
template <std::size_t MaxBytes, std::size_t N>
auto put_policy_name(Out<N> out, const PolicyName& name) noexcept {
    return put_char<'"'>(put_policy_name_text<MaxBytes>(put_char<'"'>(out), name));
}

template <JsonKey Key, std::size_t N>
auto put_address_member(Out<N> out, const decode::IpAddress& address, Ipv6Text ipv6) noexcept {
    return put_address(put_key<Key>(out), address, ipv6);
}

// A protocol as EVE spells it, or its decimal text when EVE has no name for it (a string either
// way, as Suricata writes "proto").
template <std::size_t N>
auto put_protocol(Out<N> out, std::uint8_t protocol) noexcept {
    const std::string_view name = eve_protocol_name(protocol);
    return either(
        !name.empty(), out, [&](auto o) { return put_word<kProtocolNameMax>(o, name); },
        [&](auto o) { return put_char<'"'>(put_unsigned(put_char<'"'>(o), protocol)); });
}

// EVE's header up to event_type, in Suricata's order: in_iface, pcap_cnt.
template <std::size_t N>
auto put_capture_header(Out<N> out, const VerdictRecord& record) noexcept {
    const auto in_iface = when(!record.in_iface.empty(), out, [&](auto o) {
        return put_escaped_string<decode::kInterfaceNameMax>(put_key<"in_iface">(o), record.in_iface.view());
    });
    return when(record.replay.has_value(), in_iface,
                [&](auto o) { return put_number<"pcap_cnt">(o, record.replay->frame); });
}

// Only the fields the decoder read: a header cut short has no destination (and maybe no source
// or protocol), which is left out rather than written from defaults.
template <std::size_t N>
auto put_ip_header(Out<N> out, const decode::DecodedPacket& packet, Ipv6Text ipv6) noexcept {
    return when(packet.is_ip, out, [&](auto o) {
        const auto src =
            when(packet.has_src, o, [&](auto s) { return put_address_member<"src_ip">(s, packet.src, ipv6); });
        const auto dst =
            when(packet.has_dst, src, [&](auto d) { return put_address_member<"dest_ip">(d, packet.dst, ipv6); });
        const auto proto =
            when(packet.has_protocol, dst, [&](auto p) { return put_protocol(put_key<"proto">(p), packet.protocol); });
        return put_number<"ip_v">(proto, static_cast<std::uint8_t>(packet.family));
    });
}

template <std::size_t N>
auto put_icmp_header(Out<N> out, const decode::DecodedPacket& packet) noexcept {
    return when(packet.has_icmp_header, out, [&](auto o) {
        return put_number<"icmp_code">(put_number<"icmp_type">(o, packet.icmp_type), packet.icmp_code);
    });
}

template <std::size_t N>
auto put_community_id(Out<N> out, const VerdictRecord& record) noexcept {
    std::optional<CommunityId> id;
    if (record.community_id_seed) id = community_id(record.packet, *record.community_id_seed);
    return when(id.has_value(), out, [&](auto o) {  // "1:" and base64: plain
        return put_word<kCommunityIdLength>(put_key<"community_id">(o), id->view());
    });
}

// EVE's alert object, with Suricata's members in Suricata's order: action, gid, signature_id,
// rev, signature, category, severity. The fixed runs of keys and values are one copy each.
template <std::size_t N>
auto put_alert(Out<N> out, const VerdictRecord& record) noexcept {
    static_assert(kAlertGid == 1 && kAlertRev == 1 && alert_action(rules::Verdict::drop) == "blocked" &&
                      alert_action(rules::Verdict::accept) == "allowed",
                  "the alert's fixed texts spell alert_action, kAlertGid and kAlertRev");
    const auto action = either(
        record.decision.verdict == rules::Verdict::drop, out,
        [](auto o) { return put_literal<R"(,"alert":{"action":"blocked","gid":1,"signature_id":)">(o); },
        [](auto o) { return put_literal<R"(,"alert":{"action":"allowed","gid":1,"signature_id":)">(o); });
    const auto id = put_literal<R"(,"rev":1,"signature":)">(put_unsigned(action, record.signature_id));
    // alert_signature: the rule id, "rate-limit:<rule id>" or the reason's text.
    const verdict::Reason reason = record.decision.reason;
    const auto signature = either(
        reason == verdict::Reason::rule || reason == verdict::Reason::rate_limit, id,
        [&](auto o) {
            const auto prefix = when(reason == verdict::Reason::rate_limit, put_char<'"'>(o),
                                     [](auto p) { return put_literal<"rate-limit:">(p); });
            return put_char<'"'>(put_policy_name_text<kRuleIdMax>(prefix, record.rule_id));
        },
        [&](auto o) {
            const TwoPartText text = reason_text(record.decision);
            return put_words<kReasonTextMax>(o, text.first, text.second);
        });
    const auto category = put_word<kCategoryMax>(put_key<"category">(signature), alert_category(reason));
    return put_char<'}'>(put_number<"severity">(category, alert_severity(record.decision)));
}

// EVE's verdict object (Suricata's firewall mode spells the packet's fate "accept" or "drop"),
// then the start of the "icmpgate" object with the log format version, as one copy each.
template <std::size_t N>
auto put_verdict_and_open_icmpgate(Out<N> out, const VerdictRecord& record) noexcept {
    static_assert(kLogVersion == 2, "the verdict texts spell the log format version");
    return either(
        record.decision.verdict == rules::Verdict::drop, out,
        [](auto o) { return put_literal<R"(,"verdict":{"action":"drop"},"icmpgate":{"log_version":2)">(o); },
        [](auto o) { return put_literal<R"(,"verdict":{"action":"accept"},"icmpgate":{"log_version":2)">(o); });
}

// Why: the reason, the rule (null when none decided) and the limiter of a rate-limit drop.
template <std::size_t N>
auto put_decision(Out<N> out, const VerdictRecord& record) noexcept {
    const TwoPartText reason = reason_text(record.decision);
    const auto reason_end = put_words<kReasonTextMax>(put_key<"reason">(out), reason.first, reason.second);
    const auto rule = either(
        record.rule_id.empty(), put_key<"rule">(reason_end), [](auto o) { return put_literal<"null">(o); },
        [&](auto o) { return put_policy_name<kRuleIdMax>(o, record.rule_id); });
    return when(record.decision.reason == verdict::Reason::rate_limit && !record.limiter_name.empty(), rule,
                [&](auto o) { return put_policy_name<kLimiterNameMax>(put_key<"limiter">(o), record.limiter_name); });
}

// What monitoring found (docs/log-format.md, "Monitor mode"): "monitor":{"scope", "verdict",
// "reason", "rule", "limiter"}, the would-be outcome in the words of the decision's own fields.
// scope "policy": run --monitor accepted the packet (reason monitor) and this is what the policy
// decided; "rule": a rule in monitor mode matched and this is what it would have decided.
template <std::size_t N>
auto put_monitor(Out<N> out, const VerdictRecord& record) noexcept {
    return when(record.decision.would_be.has_value(), out, [&](auto o) {
        const verdict::Outcome& would_be = *record.decision.would_be;
        const auto scope = either(
            record.decision.reason == verdict::Reason::monitor, o,
            [](auto s) { return put_literal<R"(,"monitor":{"scope":"policy","verdict":)">(s); },
            [](auto s) { return put_literal<R"(,"monitor":{"scope":"rule","verdict":)">(s); });
        const auto verdict = either(
            would_be.verdict == rules::Verdict::drop, scope, [](auto v) { return put_literal<R"("drop")">(v); },
            [](auto v) { return put_literal<R"("accept")">(v); });
        const TwoPartText reason = reason_text(would_be);
        const auto reason_end = put_words<kReasonTextMax>(put_key<"reason">(verdict), reason.first, reason.second);
        const auto rule = either(
            record.would_be_rule_id.empty(), put_key<"rule">(reason_end), [](auto r) { return put_literal<"null">(r); },
            [&](auto r) { return put_policy_name<kRuleIdMax>(r, record.would_be_rule_id); });
        const auto limiter = when(!record.would_be_limiter_name.empty(), rule, [&](auto l) {
            return put_policy_name<kLimiterNameMax>(put_key<"limiter">(l), record.would_be_limiter_name);
        });
        return put_char<'}'>(limiter);
    });
}

// Where the packet came from, under "icmpgate": the queue and the kernel's packet id, and the
// output interface (EVE has no field for it).
template <std::size_t N>
auto put_queue_context(Out<N> out, const VerdictRecord& record) noexcept {
    const auto queue = when(record.queue.has_value(), out, [&](auto o) {
        return put_number<"packet_id">(put_number<"queue">(o, record.queue->queue), record.queue->packet_id);
    });
    return when(!record.out_iface.empty(), queue, [&](auto o) {
        return put_escaped_string<decode::kInterfaceNameMax>(put_key<"out_iface">(o), record.out_iface.view());
    });
}

// The catalogue's names of the type and code (icmpgate's own fields).
template <std::size_t N>
auto put_icmp_names(Out<N> out, const decode::DecodedPacket& packet) noexcept {
    return when(packet.has_icmp_header, out, [&](auto o) {
        const std::string_view type_name = decode::icmp_type_name(packet.family, packet.icmp_type);
        const std::string_view code_name = decode::icmp_code_name(packet.family, packet.icmp_type, packet.icmp_code);
        const auto type = when(!type_name.empty(), o, [&](auto t) {
            return put_word<decode::kIcmpNameMax>(put_key<"icmp_type_name">(t), type_name);
        });
        return when(!code_name.empty(), type,
                    [&](auto c) { return put_word<decode::kIcmpNameMax>(put_key<"icmp_code_name">(c), code_name); });
    });
}

template <JsonKey Key, std::unsigned_integral T, std::size_t N>
auto put_number_if(Out<N> out, const std::optional<T>& value) noexcept {
    return when(value.has_value(), out, [&](auto o) { return put_number<Key>(o, *value); });
}

template <std::size_t N>
auto put_type_specific(Out<N> out, const decode::DecodedPacket& packet, Ipv6Text ipv6) noexcept {
    const auto echo = when(packet.echo.has_value(), out, [&](auto o) {
        return put_number<"icmp_seq">(put_number<"icmp_id">(o, packet.echo->id), packet.echo->sequence);
    });
    const auto mtu = put_number_if<"mtu">(echo, packet.mtu);
    const auto pointer = put_number_if<"pointer">(mtu, packet.pointer);
    const auto gateway = when(packet.gateway.has_value(), pointer,
                              [&](auto o) { return put_address_member<"gateway">(o, *packet.gateway, ipv6); });
    const auto payload = when(packet.has_icmp_header, gateway,
                              [&](auto o) { return put_number<"payload_size">(o, packet.payload_size); });
    return when(packet.is_ip && packet.is_fragment, payload, [&](auto o) {
        const auto offset =
            put_unsigned(put_first_key<"offset">(put_char<'{'>(put_key<"fragment">(o))),
                         static_cast<std::uint32_t>(std::uint32_t{packet.fragment_offset} * kFragmentUnitBytes));
        return put_char<'}'>(put_bool(put_key<"more">(offset), packet.more_fragments));
    });
}

template <std::size_t N>
auto put_embedded(Out<N> out, const decode::DecodedPacket& packet, Ipv6Text ipv6) noexcept {
    return when(packet.quoted.has_value(), out, [&](auto o) {
        const decode::QuotedPacket& quote = *packet.quoted;
        const auto proto = put_protocol(put_first_key<"proto">(put_char<'{'>(put_key<"embedded">(o))), quote.protocol);
        const auto addresses =
            put_address_member<"dest_ip">(put_address_member<"src_ip">(proto, quote.src, ipv6), quote.dst, ipv6);
        const auto ports =
            put_number_if<"dest_port">(put_number_if<"src_port">(addresses, quote.src_port), quote.dst_port);
        const auto icmp = when(quote.icmp.has_value(), ports, [&](auto i) {
            const auto type_code =
                put_number<"icmp_code">(put_number<"icmp_type">(i, quote.icmp->type), quote.icmp->code);
            return when(quote.icmp->echo.has_value(), type_code, [&](auto e) {
                return put_number<"icmp_seq">(put_number<"icmp_id">(e, quote.icmp->echo->id),
                                              quote.icmp->echo->sequence);
            });
        });
        const auto length = put_number<"total_length">(icmp, quote.total_length);
        const auto fragment = when(quote.fragment_offset != 0, length, [&](auto f) {
            return put_number<"fragment_offset">(
                f, static_cast<std::uint32_t>(std::uint32_t{quote.fragment_offset} * kFragmentUnitBytes));
        });
        return put_char<'}'>(fragment);
    });
}

// RFC 4950 2.1: one label stack entry.
template <std::size_t N>
auto put_mpls_entry(Out<N> out, const decode::MplsLabelEntry& entry) noexcept {
    const auto label = put_unsigned(put_first_key<"label">(put_char<'{'>(out)), entry.label);
    const auto traffic_class = put_number<"tc">(label, entry.traffic_class);
    const auto bottom = put_bool(put_key<"s">(traffic_class), entry.bottom_of_stack);
    return put_char<'}'>(put_number<"ttl">(bottom, entry.ttl));
}

// RFC 5837 4: one Interface Information Object, each part when its C-Type bit was set.
template <std::size_t N>
auto put_interface(Out<N> out, const decode::InterfaceInformation& info, Ipv6Text ipv6) noexcept {
    const auto role =
        put_word<kInterfaceRoleMax>(put_first_key<"role">(put_char<'{'>(out)), interface_role_name(info.role));
    const auto index = put_number_if<"ifindex">(role, info.if_index);
    const auto address = when(info.address.has_value(), index,
                              [&](auto o) { return put_address_member<"address">(o, *info.address, ipv6); });
    const auto name = when(info.has_name, address, [&](auto o) {
        const std::string_view text{info.name.data(), std::min<std::size_t>(info.name_length, info.name.size())};
        return put_escaped_string<decode::kExtensionInterfaceNameMax>(put_key<"name">(o), text);
    });
    return put_char<'}'>(put_number_if<"mtu">(name, info.mtu));
}

// The RFC 4884 extension structure of an error message, when it was there and valid.
template <std::size_t N>
auto put_extensions(Out<N> out, const decode::DecodedPacket& packet, Ipv6Text ipv6) noexcept {
    return when(packet.extensions.has_value(), out, [&](auto o) {
        const decode::IcmpExtensions& ext = *packet.extensions;
        const auto announced =
            put_bool(put_first_key<"announced">(put_char<'{'>(put_key<"extensions">(o))), ext.from_length_attribute);
        const auto checksum = either(
            ext.checksum == decode::ChecksumState::valid, put_key<"checksum">(announced),
            [](auto c) { return put_literal<R"("valid")">(c); }, [](auto c) { return put_literal<R"("none")">(c); });
        const auto objects = put_number<"objects">(checksum, ext.object_count);
        const auto mpls = when(ext.mpls_label_total > 0, objects, [&](auto m) {
            const auto list = put_char<'['>(put_key<"mpls">(put_number<"mpls_labels">(m, ext.mpls_label_total)));
            const auto entries = repeat<decode::kMaxMplsLabels>(list, ext.mpls_label_count, [&](auto e, std::size_t i) {
                return put_mpls_entry(put_separator(e, i == 0), ext.mpls_labels[i]);
            });
            return put_char<']'>(entries);
        });
        const auto interfaces = when(ext.interface_total > 0, mpls, [&](auto f) {
            const auto list =
                put_char<'['>(put_key<"interfaces">(put_number<"interface_objects">(f, ext.interface_total)));
            const auto entries =
                repeat<decode::kMaxInterfaceObjects>(list, ext.interface_count, [&](auto e, std::size_t i) {
                    return put_interface(put_separator(e, i == 0), ext.interfaces[i], ipv6);
                });
            return put_char<']'>(entries);
        });
        return put_char<'}'>(interfaces);
    });
}

// Every anomaly that applied, in precedence order, whatever the policy does with it.
template <std::size_t N>
auto put_anomalies(Out<N> out, const decode::AnomalySet& anomalies) noexcept {
    return when(!anomalies.none(), out, [&](auto o) {
        bool first = true;
        // Each anomaly at most once: the table's rows, the set ones written.
        const auto names = repeat<decode::kAnomalyCount>(put_char<'['>(put_key<"anomalies">(o)), decode::kAnomalyCount,
                                                         [&](auto e, std::size_t i) {
                                                             const decode::AnomalyInfo& info = decode::kAnomalies[i];
                                                             return when(anomalies.test(info.anomaly), e, [&](auto a) {
                                                                 const auto separated = put_separator(a, first);
                                                                 first = false;
                                                                 return put_word<kAnomalyNameMax>(separated, info.name);
                                                             });
                                                         });
        return put_char<']'>(names);
    });
}

}  // namespace verdict_line

// One verdict record as one line, with its final '\n'.
inline auto write_verdict_line(Out<0> out, const VerdictRecord& record, EveTimestampCache& timestamps) noexcept {
    using namespace verdict_line;  // NOLINT(google-build-using-namespace): the parts above
    const decode::DecodedPacket& packet = record.packet;
    // EVE's header (docs/log-format.md, "EVE fields").
    const auto time = put_timestamp(put_first_key<"timestamp">(put_char<'{'>(out)), timestamps, record.time_ns);
    const auto capture = put_literal<R"(,"event_type":"alert")">(put_capture_header(time, record));
    const auto filename = when(record.replay.has_value(), capture, [&](auto o) {
        return put_escaped_string<kPcapFilenameMax>(put_key<"pcap_filename">(o), record.replay->pcap_filename);
    });
    const auto header = put_icmp_header(put_ip_header(filename, packet, record.ipv6_text), packet);
    const auto eve = put_verdict_and_open_icmpgate(put_alert(put_community_id(header, record), record), record);
    // icmpgate's own fields ("icmpgate" object), after its log_version.
    const auto context = put_queue_context(put_monitor(put_decision(eve, record), record), record);
    const auto fields = put_type_specific(put_icmp_names(context, packet), packet, record.ipv6_text);
    const auto quote = put_extensions(put_embedded(fields, packet, record.ipv6_text), packet, record.ipv6_text);
    const auto policy = put_policy_name<kPolicyDigestMax>(put_key<"policy">(put_anomalies(quote, record.anomalies)),
                                                          record.policy_digest);
    return put_literal<"}}\n">(policy);
}

// The longest verdict line, newline included: JsonLine's buffer holds it.
inline constexpr std::size_t kVerdictLineMax = decltype(write_verdict_line(
    std::declval<Out<0>>(), std::declval<const VerdictRecord&>(), std::declval<EveTimestampCache&>()))::kMaxBytes;

}  // namespace icmpgate::log
