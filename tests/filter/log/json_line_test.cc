#include "filter/log/json_line.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "filter/decode/decode.h"
#include "filter/decode/icmp_catalogue.h"
#include "filter/decode/ip_address.h"
#include "filter/log/verdict_record.h"
#include "rules/compiled_policy.h"
#include "rules/policy_loader.h"
#include "rules/signature_id.h"
#include "tests/support/address.h"
#include "tests/support/alloc_counter.h"
#include "tests/support/packet_builder.h"

namespace {

using icmpgate::decode::Anomaly;
using icmpgate::decode::ChecksumState;
using icmpgate::decode::DecodedPacket;
using icmpgate::decode::Echo;
using icmpgate::decode::Family;
using icmpgate::decode::IcmpExtensions;
using icmpgate::decode::InterfaceInformation;
using icmpgate::decode::IpAddress;
using icmpgate::decode::MplsLabelEntry;
using icmpgate::decode::PacketMeta;
using icmpgate::decode::QuotedIcmp;
using icmpgate::decode::QuotedPacket;
using icmpgate::log::JsonLine;
using icmpgate::log::make_verdict_record;
using icmpgate::log::ReplayContext;
using icmpgate::log::VerdictRecord;
using icmpgate::rules::CompiledPolicy;
using icmpgate::rules::Verdict;
using icmpgate::verdict::Decision;
using icmpgate::verdict::Reason;
using nlohmann::json;
using nlohmann::ordered_json;

const std::string kDigest = "sha256:" + std::string(64, 'a');
constexpr std::int64_t kMay20At101502 = 1'747'736'102'123'456'789;  // 2025-05-20T10:15:02.123456789Z

using icmpgate::test::ip;

CompiledPolicy test_policy() {
    CompiledPolicy policy;
    policy.digest = kDigest;
    policy.rules.resize(2);
    policy.rules[0].id = "allow-echo";
    policy.rules[0].signature_id = icmpgate::rules::derived_signature_id("allow-echo");
    policy.rules[1].id = "limit-echo";
    policy.rules[1].sid = 1'000'002;
    policy.rules[1].signature_id = 1'000'002;
    policy.limiters.resize(1);
    policy.limiters[0].name = "echo-per-source";
    return policy;
}

DecodedPacket echo_request_v4() {
    DecodedPacket p;
    p.is_ip = true;
    p.has_src = p.has_dst = p.has_protocol = true;
    p.is_icmp = true;
    p.family = Family::ipv4;
    p.src = ip("192.0.2.1");
    p.dst = ip("198.51.100.7");
    p.protocol = 1;
    p.ip_length = 84;
    p.has_icmp_header = true;
    p.icmp_type = 8;
    p.icmp_code = 0;
    p.payload_size = 56;
    p.echo = Echo{7, 1};
    return p;
}

// Frag Needed (MTU 40) from a router about a TCP segment; implausible MTU.
DecodedPacket frag_needed_v4() {
    DecodedPacket p;
    p.is_ip = true;
    p.has_src = p.has_dst = p.has_protocol = true;
    p.is_icmp = true;
    p.family = Family::ipv4;
    p.src = ip("203.0.113.7");
    p.dst = ip("192.0.2.10");
    p.protocol = 1;
    p.has_icmp_header = true;
    p.icmp_type = 3;
    p.icmp_code = 4;
    p.payload_size = 28;
    p.mtu = 40;
    QuotedPacket q;
    q.family = Family::ipv4;
    q.protocol = 6;
    q.src = ip("192.0.2.10");
    q.dst = ip("198.51.100.20");
    q.total_length = 1500;
    q.src_port = 44321;
    q.dst_port = 443;
    p.quoted = q;
    p.anomalies.set(Anomaly::implausible_mtu);
    return p;
}

std::string format(const VerdictRecord& record) {
    JsonLine line;
    BOOST_REQUIRE(line.format(record));
    const std::string text{line.line()};
    BOOST_REQUIRE(!text.empty());
    BOOST_TEST(text.back() == '\n');
    BOOST_TEST(text.find('\n') == text.size() - 1);  // exactly one line
    return text;
}

json parsed(const VerdictRecord& record) {
    return json::parse(format(record));
}

std::vector<std::string> keys_in_order(const VerdictRecord& record) {
    std::vector<std::string> keys;
    const ordered_json line = ordered_json::parse(format(record));
    for (const auto& item : line.items()) keys.push_back(item.key());
    return keys;
}

// The record refers to `packet`, which must outlive it: a temporary does not compile.
VerdictRecord record_of(const DecodedPacket& packet, const Decision& decision, const CompiledPolicy& policy) {
    PacketMeta meta;
    meta.now_ns = kMay20At101502;
    return make_verdict_record(packet, decision, meta, policy);
}
VerdictRecord record_of(DecodedPacket&&, const Decision&, const CompiledPolicy&) = delete;

// The parsed line of a record of `packet` (which lives until the line is written).
json line_of(const DecodedPacket& packet, const Decision& decision, const CompiledPolicy& policy) {
    return parsed(record_of(packet, decision, policy));
}

Decision decision(Verdict verdict, Reason reason) {
    Decision d;
    d.verdict = verdict;
    d.reason = reason;
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_line)

BOOST_AUTO_TEST_CASE(writes_an_accepted_echo_as_an_exact_eve_line) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::accept, Reason::rule);
    d.rule = 0;
    const DecodedPacket packet = echo_request_v4();
    VerdictRecord record = record_of(packet, d, policy);
    record.replay = ReplayContext{3, "gateway-sample.pcap"};
    BOOST_TEST(format(record) ==
               R"({"timestamp":"2025-05-20T10:15:02.123456+0000","pcap_cnt":3,"event_type":"alert",)"
               R"("pcap_filename":"gateway-sample.pcap","src_ip":"192.0.2.1","dest_ip":"198.51.100.7",)"
               R"("proto":"ICMP","ip_v":4,"icmp_type":8,"icmp_code":0,)"
               R"("alert":{"action":"allowed","gid":1,"signature_id":1459217964,"rev":1,"signature":"allow-echo",)"
               R"("category":"icmp-policy","severity":3},"verdict":{"action":"accept"},)"
               R"("icmpgate":{"log_version":2,"reason":"rule","rule":"allow-echo","icmp_type_name":"echo-request",)"
               R"("icmp_id":7,"icmp_seq":1,"payload_size":56,"policy":"sha256:)" +
                   std::string(64, 'a') +
                   R"("}})"
                   "\n");
}

BOOST_AUTO_TEST_CASE(writes_an_anomaly_drop_with_mtu_embedded_and_anomalies) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::anomaly);
    d.anomaly = Anomaly::implausible_mtu;
    const json line = line_of(frag_needed_v4(), d, policy);
    const json& own = line["icmpgate"];
    BOOST_TEST(own["reason"] == "anomaly:implausible-mtu");
    BOOST_TEST(own["rule"].is_null());
    BOOST_TEST(line["verdict"] == json::parse(R"({"action":"drop"})"));
    BOOST_TEST(own["mtu"] == 40);
    BOOST_TEST(own["icmp_type_name"] == "destination-unreachable");
    BOOST_TEST(own["icmp_code_name"] == "frag-needed");
    BOOST_TEST(own["embedded"] == json::parse(R"({"proto":"TCP","src_ip":"192.0.2.10","dest_ip":"198.51.100.20",)"
                                              R"("src_port":44321,"dest_port":443,"total_length":1500})"));
    BOOST_TEST(own["anomalies"] == json::parse(R"(["implausible-mtu"])"));
    BOOST_TEST(line["alert"] == json::parse(R"({"action":"blocked","gid":1,"signature_id":2000000106,"rev":1,)"
                                            R"("signature":"anomaly:implausible-mtu","category":"icmp-anomaly",)"
                                            R"("severity":1})"));
}

BOOST_AUTO_TEST_CASE(puts_the_eve_header_first_then_alert_verdict_and_icmpgate) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::rate_limit);
    d.rule = 1;
    d.limiter = 0;
    const DecodedPacket packet = echo_request_v4();
    VerdictRecord record = record_of(packet, d, policy);
    record.replay = ReplayContext{1, "x.pcap"};
    record.queue = icmpgate::log::QueueContext{2, 9};
    record.in_iface = icmpgate::decode::InterfaceName::from("wan0");
    record.out_iface = icmpgate::decode::InterfaceName::from("lan0");
    record.community_id_seed = 0;
    const std::vector<std::string> expected{"timestamp", "in_iface",     "pcap_cnt", "event_type", "pcap_filename",
                                            "src_ip",    "dest_ip",      "proto",    "ip_v",       "icmp_type",
                                            "icmp_code", "community_id", "alert",    "verdict",    "icmpgate"};
    BOOST_TEST(keys_in_order(record) == expected, boost::test_tools::per_element());
    const ordered_json line = ordered_json::parse(format(record));
    std::vector<std::string> own;
    for (const auto& item : line["icmpgate"].items()) own.push_back(item.key());
    const std::vector<std::string> expected_own{"log_version", "reason",    "rule",         "limiter",
                                                "queue",       "packet_id", "out_iface",    "icmp_type_name",
                                                "icmp_id",     "icmp_seq",  "payload_size", "policy"};
    BOOST_TEST(own == expected_own, boost::test_tools::per_element());
    std::vector<std::string> alert;
    for (const auto& item : line["alert"].items()) alert.push_back(item.key());
    const std::vector<std::string> expected_alert{"action",    "gid",      "signature_id", "rev",
                                                  "signature", "category", "severity"};
    BOOST_TEST(alert == expected_alert, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(names_the_rule_and_limiter_of_a_rate_limit_drop) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::rate_limit);
    d.rule = 1;
    d.limiter = 0;
    const json line = line_of(echo_request_v4(), d, policy);
    BOOST_TEST(line["icmpgate"]["reason"] == "rate-limit");
    BOOST_TEST(line["icmpgate"]["rule"] == "limit-echo");
    BOOST_TEST(line["icmpgate"]["limiter"] == "echo-per-source");
    // The rate-limit reason's fixed id, not the rule's sid: the rule is in the signature text.
    BOOST_TEST(line["alert"] == json::parse(R"({"action":"blocked","gid":1,"signature_id":2000000004,"rev":1,)"
                                            R"("signature":"rate-limit:limit-echo","category":"icmp-rate-limit",)"
                                            R"("severity":2})"));
}

BOOST_AUTO_TEST_CASE(run_monitor_accepts_and_says_what_the_policy_would_have_done) {
    const CompiledPolicy policy = test_policy();
    Decision policy_decision = decision(Verdict::drop, Reason::rate_limit);
    policy_decision.rule = 1;
    policy_decision.limiter = 0;
    const json line = line_of(echo_request_v4(), icmpgate::verdict::monitored(policy_decision), policy);
    BOOST_TEST(line["verdict"] == json::parse(R"({"action":"accept"})"));
    BOOST_TEST(line["alert"] == json::parse(R"({"action":"allowed","gid":1,"signature_id":2000000005,"rev":1,)"
                                            R"("signature":"monitor","category":"icmp-policy","severity":3})"));
    BOOST_TEST(line["icmpgate"]["reason"] == "monitor");
    BOOST_TEST(line["icmpgate"]["rule"].is_null());
    BOOST_TEST(!line["icmpgate"].contains("limiter"));
    BOOST_TEST(line["icmpgate"]["monitor"] ==
               json::parse(R"({"scope":"policy","verdict":"drop","reason":"rate-limit","rule":"limit-echo",)"
                           R"("limiter":"echo-per-source"})"));
}

BOOST_AUTO_TEST_CASE(a_monitor_rule_beside_the_enforced_decision) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::accept, Reason::rule);
    d.rule = 0;
    icmpgate::verdict::Outcome would_be;
    would_be.verdict = Verdict::drop;
    would_be.reason = Reason::rule;
    would_be.rule = 1;
    d.would_be = would_be;
    const DecodedPacket packet = echo_request_v4();
    const ordered_json line = ordered_json::parse(format(record_of(packet, d, policy)));
    BOOST_TEST(line["alert"]["action"] == "allowed");
    BOOST_TEST(line["alert"]["signature"] == "allow-echo");
    const ordered_json& own = line["icmpgate"];
    BOOST_TEST(own["reason"] == "rule");
    BOOST_TEST(own["rule"] == "allow-echo");
    BOOST_TEST(own["monitor"].dump() == R"({"scope":"rule","verdict":"drop","reason":"rule","rule":"limit-echo"})");
    // Right after the decision it stands beside.
    std::vector<std::string> keys;
    for (const auto& item : own.items()) keys.push_back(item.key());
    BOOST_TEST((std::vector<std::string>(keys.begin(), keys.begin() + 4) ==
                std::vector<std::string>{"log_version", "reason", "rule", "monitor"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_would_be_anomaly_is_listed_with_the_anomalies) {
    const CompiledPolicy policy = test_policy();
    Decision anomaly = decision(Verdict::drop, Reason::anomaly);
    anomaly.anomaly = Anomaly::implausible_mtu;
    const json line = line_of(echo_request_v4(), icmpgate::verdict::monitored(anomaly), policy);
    BOOST_TEST(line["icmpgate"]["monitor"] ==
               json::parse(R"({"scope":"policy","verdict":"drop","reason":"anomaly:implausible-mtu","rule":null})"));
    BOOST_TEST(line["icmpgate"]["anomalies"] == json::parse(R"(["implausible-mtu"])"));
}

BOOST_AUTO_TEST_CASE(a_rule_decision_carries_the_rules_sid) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::rule);
    d.rule = 1;
    const json line = line_of(echo_request_v4(), d, policy);
    BOOST_TEST(line["alert"]["signature_id"] == 1'000'002);
    BOOST_TEST(line["alert"]["signature"] == "limit-echo");
    BOOST_TEST(line["alert"]["gid"] == 1);
    BOOST_TEST(line["alert"]["rev"] == 1);
}

BOOST_AUTO_TEST_CASE(omits_what_does_not_apply) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::accept, Reason::rule);
    d.rule = 0;
    d.limiter = 0;  // ignored: not a rate-limit decision
    const json line = line_of(echo_request_v4(), d, policy);
    const json& own = line["icmpgate"];
    BOOST_TEST(!own.contains("limiter"));
    BOOST_TEST(!line.contains("in_iface"));
    BOOST_TEST(!own.contains("out_iface"));
    BOOST_TEST(!line.contains("pcap_cnt"));
    BOOST_TEST(!line.contains("pcap_filename"));
    BOOST_TEST(!line.contains("community_id"));
    BOOST_TEST(!own.contains("queue"));
    BOOST_TEST(!own.contains("packet_id"));
    BOOST_TEST(!own.contains("mtu"));
    BOOST_TEST(!own.contains("embedded"));
    BOOST_TEST(!own.contains("anomalies"));
    BOOST_TEST(!own.contains("fragment"));
    BOOST_TEST(!own.contains("icmp_code_name"));  // echo-request has no named code 0
}

BOOST_AUTO_TEST_CASE(writes_default_protected_and_not_icmp_signatures) {
    const CompiledPolicy policy = test_policy();
    const json by_default = line_of(echo_request_v4(), decision(Verdict::drop, Reason::default_verdict), policy);
    BOOST_TEST(by_default["icmpgate"]["reason"] == "default");
    BOOST_TEST(by_default["alert"]["signature"] == "default");
    BOOST_TEST(by_default["alert"]["signature_id"] == 2'000'000'002);
    BOOST_TEST(by_default["alert"]["severity"] == 2);
    BOOST_TEST(by_default["alert"]["category"] == "icmp-policy");

    DecodedPacket time_exceeded = echo_request_v4();
    time_exceeded.icmp_type = 11;
    time_exceeded.echo.reset();
    const json protected_line = line_of(time_exceeded, decision(Verdict::accept, Reason::protected_type), policy);
    BOOST_TEST(protected_line["icmpgate"]["reason"] == "protected");
    BOOST_TEST(protected_line["alert"]["signature"] == "protected");
    BOOST_TEST(protected_line["alert"]["signature_id"] == 2'000'000'003);
    BOOST_TEST(protected_line["alert"]["action"] == "allowed");
    BOOST_TEST(protected_line["verdict"]["action"] == "accept");
    // Whatever the catalogue calls it canonically (icmp_catalogue_test pins the spelling).
    BOOST_TEST(protected_line["icmpgate"]["icmp_code_name"] ==
               std::string{icmpgate::decode::icmp_code_name(Family::ipv4, 11, 0)});
}

BOOST_AUTO_TEST_CASE(writes_a_non_ip_frame_without_ip_fields) {
    const CompiledPolicy policy = test_policy();
    const json line = line_of(DecodedPacket{}, decision(Verdict::accept, Reason::not_icmp), policy);
    BOOST_TEST(line["icmpgate"]["reason"] == "not-icmp");
    BOOST_TEST(line["alert"]["signature"] == "not-icmp");
    BOOST_TEST(line["alert"]["signature_id"] == 2'000'000'001);
    for (const char* absent : {"src_ip", "dest_ip", "proto", "ip_v", "icmp_type", "icmp_code"})
        BOOST_TEST(!line.contains(absent), absent);
    BOOST_TEST(!line["icmpgate"].contains("payload_size"));
}

// Write only what was read: a header cut short leaves addresses out instead of writing 0.0.0.0.
BOOST_AUTO_TEST_CASE(writes_only_the_address_fields_a_cut_header_held) {
    using icmpgate::test::PacketBuilder;
    const CompiledPolicy policy = test_policy();
    const Decision dropped = [] {
        Decision d = decision(Verdict::drop, Reason::anomaly);
        d.anomaly = Anomaly::truncated;
        return d;
    }();
    const auto cut_line = [&](const icmpgate::test::Packet& bytes) {
        return line_of(icmpgate::decode::decode_packet(bytes, {}), dropped, policy);
    };
    const icmpgate::test::Packet v6 = PacketBuilder::ipv6("2001:db8::5", "2001:db8::6").echo_request(1, 2).build();
    const json source_only = cut_line(icmpgate::test::cut(v6, 30));  // source (bytes 8-23) and next header
    BOOST_TEST(source_only["src_ip"] == "2001:db8::5");
    BOOST_TEST(!source_only.contains("dest_ip"));
    BOOST_TEST(source_only["proto"] == "IPv6-ICMP");
    BOOST_TEST(source_only["ip_v"] == 6);
    BOOST_TEST(!source_only.contains("icmp_type"));

    const icmpgate::test::Packet v4 = PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").echo_request(1, 2).build();
    const json protocol_only = cut_line(icmpgate::test::cut(v4, 12));
    BOOST_TEST(!protocol_only.contains("src_ip"));
    BOOST_TEST(!protocol_only.contains("dest_ip"));
    BOOST_TEST(protocol_only["proto"] == "ICMP");
    BOOST_TEST(protocol_only["ip_v"] == 4);

    const json version_only = cut_line(icmpgate::test::cut(v4, 1));
    BOOST_TEST(version_only["ip_v"] == 4);
    for (const char* absent : {"src_ip", "dest_ip", "proto", "icmp_type"})
        BOOST_TEST(!version_only.contains(absent), absent);
}

BOOST_AUTO_TEST_CASE(writes_the_icmp_header_of_a_truncated_packet_that_holds_it) {
    using icmpgate::test::PacketBuilder;
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::anomaly);
    d.anomaly = Anomaly::truncated;
    const DecodedPacket packet = icmpgate::decode::decode_packet(
        PacketBuilder::ipv4("192.0.2.1", "198.51.100.7").echo_request(7, 9).total_length(200).build(), {});
    const json line = line_of(packet, d, policy);
    BOOST_TEST(line["src_ip"] == "192.0.2.1");
    BOOST_TEST(line["dest_ip"] == "198.51.100.7");
    BOOST_TEST(line["icmp_type"] == 8);
    BOOST_TEST(line["icmp_code"] == 0);
    BOOST_TEST(line["icmpgate"]["icmp_id"] == 7);
    BOOST_TEST(line["icmpgate"]["icmp_seq"] == 9);
    BOOST_TEST(line["icmpgate"]["payload_size"] == 172);
    BOOST_TEST(line["icmpgate"]["anomalies"] == json::array({"truncated"}));
}

BOOST_AUTO_TEST_CASE(names_a_non_icmp_protocol_or_gives_its_number_as_a_string) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket tcp;
    tcp.is_ip = true;
    tcp.has_src = tcp.has_dst = tcp.has_protocol = true;
    tcp.family = Family::ipv6;
    tcp.src = ip("2001:db8::1");
    tcp.dst = ip("2001:db8::2");
    tcp.protocol = 6;
    const json tcp_line = line_of(tcp, decision(Verdict::accept, Reason::not_icmp), policy);
    BOOST_TEST(tcp_line["proto"] == "TCP");
    BOOST_TEST(tcp_line["ip_v"] == 6);
    BOOST_TEST(!tcp_line.contains("icmp_type"));
    DecodedPacket gre = tcp;
    gre.protocol = 47;
    const json gre_line = line_of(gre, decision(Verdict::accept, Reason::not_icmp), policy);
    BOOST_TEST(gre_line["proto"] == "47");
}

BOOST_AUTO_TEST_CASE(writes_fragment_offset_in_bytes_and_the_more_flag) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket fragment = echo_request_v4();
    fragment.has_icmp_header = false;
    fragment.echo.reset();
    fragment.is_fragment = true;
    fragment.fragment_offset = 185;  // 1480 bytes
    fragment.more_fragments = true;
    fragment.anomalies.set(Anomaly::fragment);
    Decision d = decision(Verdict::accept, Reason::anomaly);
    d.anomaly = Anomaly::fragment;
    const json line = line_of(fragment, d, policy);
    BOOST_TEST(line["icmpgate"]["fragment"] == json::parse(R"({"offset":1480,"more":true})"));
    BOOST_TEST(line["alert"]["severity"] == 3);
    BOOST_TEST(line["alert"]["category"] == "icmp-anomaly");
    BOOST_TEST(line["alert"]["signature_id"] == 2'000'000'109);
    BOOST_TEST(!line.contains("icmp_type"));
    BOOST_TEST(!line["icmpgate"].contains("payload_size"));
}

BOOST_AUTO_TEST_CASE(writes_pointer_gateway_and_a_quoted_echo) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket redirect = echo_request_v4();
    redirect.icmp_type = 5;
    redirect.icmp_code = 1;
    redirect.echo.reset();
    redirect.gateway = ip("192.0.2.254");
    redirect.pointer = 20;  // not a redirect field; checks that pointer is written when decoded
    QuotedPacket q;
    q.family = Family::ipv4;
    q.protocol = 1;
    q.src = ip("198.51.100.7");
    q.dst = ip("203.0.113.1");
    q.total_length = 84;
    q.fragment_offset = 2;
    q.icmp = QuotedIcmp{8, 0, Echo{9, 4}};
    redirect.quoted = q;
    const json line = line_of(redirect, decision(Verdict::drop, Reason::default_verdict), policy);
    BOOST_TEST(line["icmpgate"]["gateway"] == "192.0.2.254");
    BOOST_TEST(line["icmpgate"]["pointer"] == 20);
    BOOST_TEST(line["icmpgate"]["icmp_code_name"] == "host-redirect");
    BOOST_TEST(line["icmpgate"]["embedded"] ==
               json::parse(R"({"proto":"ICMP","src_ip":"198.51.100.7","dest_ip":"203.0.113.1","icmp_type":8,)"
                           R"("icmp_code":0,"icmp_id":9,"icmp_seq":4,"total_length":84,"fragment_offset":16})"));
}

BOOST_AUTO_TEST_CASE(lists_every_anomaly_that_applied_in_precedence_order) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket packet = echo_request_v4();
    packet.anomalies.set(Anomaly::unknown_type);
    packet.anomalies.set(Anomaly::bad_checksum);
    packet.anomalies.set(Anomaly::truncated);
    Decision d = decision(Verdict::drop, Reason::anomaly);
    d.anomaly = Anomaly::truncated;
    const json line = line_of(packet, d, policy);
    BOOST_TEST(line["icmpgate"]["anomalies"] == json::parse(R"(["truncated","bad-checksum","unknown-type"])"));
}

BOOST_AUTO_TEST_CASE(lists_unknown_type_even_when_the_policy_leaves_it_off) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket packet = echo_request_v4();
    packet.icmp_type = 99;  // unassigned in the IANA registry
    packet.echo.reset();
    const json line = line_of(packet, decision(Verdict::accept, Reason::default_verdict), policy);
    BOOST_TEST(line["icmpgate"]["anomalies"] == json::parse(R"(["unknown-type"])"));
    BOOST_TEST(line["icmpgate"]["reason"] == "default");
}

BOOST_AUTO_TEST_CASE(always_lists_the_deciding_anomaly) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::anomaly);
    d.anomaly = Anomaly::bad_hop_limit;
    const json line = line_of(echo_request_v4(), d, policy);
    BOOST_TEST(line["icmpgate"]["anomalies"] == json::parse(R"(["bad-hop-limit"])"));
}

BOOST_AUTO_TEST_CASE(writes_queue_context_for_the_daemon) {
    const CompiledPolicy policy = test_policy();
    const DecodedPacket packet = echo_request_v4();
    VerdictRecord record = record_of(packet, decision(Verdict::drop, Reason::default_verdict), policy);
    record.queue = icmpgate::log::QueueContext{2, 48'213};
    record.in_iface = icmpgate::decode::InterfaceName::from("wan0");
    record.out_iface = icmpgate::decode::InterfaceName::from("lan0");
    const json line = parsed(record);
    BOOST_TEST(line["icmpgate"]["queue"] == 2);
    BOOST_TEST(line["icmpgate"]["packet_id"] == 48'213);
    BOOST_TEST(line["in_iface"] == "wan0");
    BOOST_TEST(line["icmpgate"]["out_iface"] == "lan0");
    BOOST_TEST(!line.contains("pcap_cnt"));
}

BOOST_AUTO_TEST_CASE(round_trips_ipv6_addresses_in_rfc5952_form) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket packet = echo_request_v4();
    packet.family = Family::ipv6;
    packet.protocol = 58;
    packet.src = ip("2001:db8:1::5");
    packet.dst = ip("2001:db8:ffff::1");
    packet.icmp_type = 128;
    const json line = line_of(packet, decision(Verdict::accept, Reason::default_verdict), policy);
    BOOST_TEST(line["src_ip"] == "2001:db8:1::5");
    BOOST_TEST(line["dest_ip"] == "2001:db8:ffff::1");
    BOOST_TEST(line["proto"] == "IPv6-ICMP");
    BOOST_TEST(line["ip_v"] == 6);
    BOOST_TEST(line["icmpgate"]["icmp_type_name"] == "echo-request");
}

BOOST_AUTO_TEST_CASE(writes_every_ipv6_address_expanded_when_asked) {
    const CompiledPolicy policy = test_policy();
    DecodedPacket packet = frag_needed_v4();
    packet.family = Family::ipv6;
    packet.protocol = 58;
    packet.src = ip("2001:db8:1::5");
    packet.dst = ip("2001:db8:ffff::1");
    packet.icmp_type = 137;  // redirect: a gateway (target) address
    packet.icmp_code = 0;
    packet.mtu.reset();
    packet.gateway = ip("fe80::1");
    packet.quoted->family = Family::ipv6;
    packet.quoted->src = ip("2001:db8:ffff::1");
    packet.quoted->dst = ip("2001:db8:2::7");
    VerdictRecord record = record_of(packet, decision(Verdict::accept, Reason::default_verdict), policy);
    record.ipv6_text = icmpgate::log::Ipv6Text::expanded;
    const json line = parsed(record);
    BOOST_TEST(line["src_ip"] == "2001:0db8:0001:0000:0000:0000:0000:0005");
    BOOST_TEST(line["dest_ip"] == "2001:0db8:ffff:0000:0000:0000:0000:0001");
    BOOST_TEST(line["icmpgate"]["gateway"] == "fe80:0000:0000:0000:0000:0000:0000:0001");
    BOOST_TEST(line["icmpgate"]["embedded"]["src_ip"] == "2001:0db8:ffff:0000:0000:0000:0000:0001");
    BOOST_TEST(line["icmpgate"]["embedded"]["dest_ip"] == "2001:0db8:0002:0000:0000:0000:0000:0007");
    record.ipv6_text = icmpgate::log::Ipv6Text::rfc5952;
    BOOST_TEST(parsed(record)["src_ip"] == "2001:db8:1::5");
}

// The record refers to the packet it was built from instead of copying it, and cannot be built
// from a temporary that would leave it dangling.
static_assert(!std::is_constructible_v<VerdictRecord, DecodedPacket&&>);
static_assert(std::is_constructible_v<VerdictRecord, const DecodedPacket&>);
BOOST_AUTO_TEST_CASE(the_record_refers_to_the_packet) {
    const CompiledPolicy policy = test_policy();
    const DecodedPacket packet = echo_request_v4();
    const VerdictRecord record = record_of(packet, decision(Verdict::accept, Reason::default_verdict), policy);
    BOOST_TEST(&record.packet == &packet);
}

BOOST_AUTO_TEST_CASE(fits_a_worst_case_record_within_the_bound_the_compiler_worked_out) {
    // Every caller-supplied string at its bound, made of bytes that escape to six characters,
    // every optional field present, the longest addresses and numbers, every extension object
    // kept with the longest interface names.
    const std::string control(1, '\x01');
    auto worst = [&](std::size_t n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += control;
        return s;
    };
    CompiledPolicy policy = test_policy();
    policy.rules[1].id = worst(icmpgate::log::kRuleIdMax);
    policy.rules[1].sid = UINT32_MAX;
    policy.rules[1].signature_id = UINT32_MAX;
    policy.limiters[0].name = worst(icmpgate::log::kLimiterNameMax);
    policy.digest = worst(icmpgate::log::kPolicyDigestMax);
    const std::string filename = worst(icmpgate::log::kPcapFilenameMax);

    DecodedPacket packet = frag_needed_v4();
    packet.family = Family::ipv6;
    packet.protocol = 58;
    packet.src = ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
    packet.dst = ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd");
    packet.icmp_type = 255;
    packet.icmp_code = 255;
    packet.echo = Echo{UINT16_MAX, UINT16_MAX};
    packet.mtu = UINT32_MAX;
    packet.pointer = UINT32_MAX;
    packet.gateway = ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc");
    packet.payload_size = UINT32_MAX;
    packet.is_fragment = true;
    packet.fragment_offset = UINT16_MAX;
    packet.quoted->family = Family::ipv6;
    packet.quoted->protocol = 255;
    packet.quoted->src = packet.src;
    packet.quoted->dst = packet.dst;
    packet.quoted->src_port = UINT16_MAX;
    packet.quoted->dst_port = UINT16_MAX;
    packet.quoted->icmp = QuotedIcmp{255, 255, Echo{UINT16_MAX, UINT16_MAX}};
    packet.quoted->total_length = UINT32_MAX;
    packet.quoted->fragment_offset = UINT16_MAX;
    for (const auto& info : icmpgate::decode::kAnomalies) packet.anomalies.set(info.anomaly);
    IcmpExtensions& ext = packet.extensions.emplace();
    ext.from_length_attribute = false;
    ext.checksum = ChecksumState::valid;
    ext.object_count = UINT32_MAX;
    ext.mpls_label_total = UINT16_MAX;
    ext.mpls_label_count = icmpgate::decode::kMaxMplsLabels;
    for (MplsLabelEntry& entry : ext.mpls_labels) entry = MplsLabelEntry{0xFFFFF, 7, false, 255};
    ext.interface_total = UINT16_MAX;
    ext.interface_count = icmpgate::decode::kMaxInterfaceObjects;
    for (InterfaceInformation& info : ext.interfaces) {
        info.role = icmpgate::decode::InterfaceRole::incoming_sub_ip;
        info.if_index = UINT32_MAX;
        info.address = ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffb");
        info.has_name = true;
        info.name_length = icmpgate::decode::kExtensionInterfaceNameMax;
        info.name.fill('\x01');
        info.mtu = UINT32_MAX;
    }

    // A rate-limit drop has the limiter and the rule id twice; the largest signature id (a rule
    // decision's) is set by hand below.
    Decision d = decision(Verdict::drop, Reason::rate_limit);
    d.rule = 1;
    d.limiter = 0;
    // And a monitor rule's would-be rate-limit drop: the rule id and the limiter twice more.
    d.would_be = static_cast<const icmpgate::verdict::Outcome&>(d);
    PacketMeta meta;
    meta.now_ns = INT64_MIN;
    meta.in_interface = icmpgate::decode::InterfaceName::from(worst(15));
    meta.out_interface = icmpgate::decode::InterfaceName::from(worst(15));
    VerdictRecord record = make_verdict_record(packet, d, meta, policy);
    record.replay = ReplayContext{UINT64_MAX, filename};
    record.queue = icmpgate::log::QueueContext{UINT16_MAX, UINT32_MAX};
    record.signature_id = UINT32_MAX;
    record.community_id_seed = UINT16_MAX;

    JsonLine line;
    BOOST_REQUIRE(line.format(record));
    BOOST_TEST_MESSAGE("worst-case line: " << line.size() << " bytes, bound " << icmpgate::log::kVerdictLineMax);
    BOOST_TEST(line.size() <= icmpgate::log::kVerdictLineMax);
    // The bound is the sum of what each part can write, not a rounded-up guess: this line, which
    // has every part but the alternatives it leaves out (a null rule, the longest reason word),
    // comes within a tenth of it.
    BOOST_TEST(line.size() * 10 >= icmpgate::log::kVerdictLineMax * 9);

    const json parsed_line = json::parse(line.line());
    const json& own = parsed_line["icmpgate"];
    BOOST_TEST(own["rule"].get<std::string>() == policy.rules[1].id);
    BOOST_TEST(own["limiter"].get<std::string>() == policy.limiters[0].name);
    BOOST_TEST(own["monitor"]["rule"].get<std::string>() == policy.rules[1].id);
    BOOST_TEST(own["monitor"]["limiter"].get<std::string>() == policy.limiters[0].name);
    BOOST_TEST(parsed_line["pcap_filename"].get<std::string>() == filename);
    BOOST_TEST(own["policy"].get<std::string>() == policy.digest);
    BOOST_TEST(parsed_line["in_iface"].get<std::string>() == worst(15));
    BOOST_TEST(own["out_iface"].get<std::string>() == worst(15));
    BOOST_TEST(parsed_line["pcap_cnt"].get<std::uint64_t>() == UINT64_MAX);
    BOOST_TEST(parsed_line["alert"]["signature"].get<std::string>() == "rate-limit:" + policy.rules[1].id);
    BOOST_TEST(parsed_line["alert"]["signature_id"].get<std::uint64_t>() == UINT32_MAX);
    BOOST_TEST(parsed_line.contains("community_id"));
    BOOST_TEST(own["anomalies"].size() == icmpgate::decode::kAnomalyCount);
    const json& extensions = own["extensions"];
    BOOST_TEST(extensions["mpls"].size() == icmpgate::decode::kMaxMplsLabels);
    BOOST_TEST(extensions["mpls_labels"] == UINT16_MAX);
    BOOST_TEST_REQUIRE(extensions["interfaces"].size() == icmpgate::decode::kMaxInterfaceObjects);
    for (const json& info : extensions["interfaces"])
        BOOST_TEST(info["name"].get<std::string>() == worst(icmpgate::decode::kExtensionInterfaceNameMax));
}

BOOST_AUTO_TEST_CASE(cuts_an_overlong_rule_id_at_its_bound) {
    CompiledPolicy policy = test_policy();
    policy.rules[0].id = std::string(icmpgate::log::kRuleIdMax + 10, 'r');
    Decision d = decision(Verdict::accept, Reason::rule);
    d.rule = 0;
    const json line = line_of(echo_request_v4(), d, policy);
    BOOST_TEST(line["icmpgate"]["rule"].get<std::string>() == std::string(icmpgate::log::kRuleIdMax, 'r'));
}

// Only make_verdict_record marks a policy's names plain (copied without an escape scan), and only
// for a policy whose compiler checked every name; text set on a record any other way is escaped.
static_assert(!std::is_constructible_v<icmpgate::log::PolicyName, std::string_view, bool>);
BOOST_AUTO_TEST_CASE(copies_only_a_compiled_policys_names_and_escapes_names_set_by_hand) {
    const auto loaded = icmpgate::rules::load_policy_text(R"({
  "version": 1, "default_verdict": "drop",
  "rate_limits": { "echo-per-source": { "rate": 1, "burst": 1 } },
  "rules": [ { "id": "limit-echo", "match": { "type": "echo-request" }, "verdict": "accept",
               "rate_limit": "echo-per-source" } ]
})",
                                                          "p.json");
    BOOST_TEST_REQUIRE(loaded.ok());
    const CompiledPolicy& compiled = *loaded.policy;
    BOOST_TEST_REQUIRE(compiled.names_are_plain);
    Decision d = decision(Verdict::drop, Reason::rate_limit);
    d.rule = 0;
    d.limiter = 0;
    const DecodedPacket packet = echo_request_v4();
    VerdictRecord copied = record_of(packet, d, compiled);
    BOOST_TEST(copied.rule_id.plain());
    BOOST_TEST(copied.limiter_name.plain());
    BOOST_TEST(copied.policy_digest.plain());

    // The same names in a policy built by hand are escaped, to the same bytes.
    CompiledPolicy by_hand = test_policy();
    by_hand.rules[0].id = compiled.rules[0].id;
    by_hand.limiters[0].name = compiled.limiters[0].name;
    by_hand.digest = compiled.digest;
    d.rule = 0;
    VerdictRecord escaped = record_of(packet, d, by_hand);
    BOOST_TEST(!escaped.rule_id.plain());
    BOOST_TEST(!escaped.policy_digest.plain());
    escaped.signature_id = copied.signature_id;
    BOOST_TEST(format(escaped) == format(copied));

    // A name set by hand on a record whose names were plain is escaped.
    copied.rule_id = "say \"hi\"\n";
    BOOST_TEST(!copied.rule_id.plain());
    const json line = parsed(copied);
    BOOST_TEST(line["icmpgate"]["rule"] == "say \"hi\"\n");
    BOOST_TEST(line["alert"]["signature"] == "rate-limit:say \"hi\"\n");
    BOOST_TEST(line["icmpgate"]["limiter"] == "echo-per-source");
}

BOOST_AUTO_TEST_CASE(cuts_plain_and_escaped_names_at_the_same_bound) {
    CompiledPolicy policy = test_policy();
    policy.rules[1].id = std::string(icmpgate::log::kRuleIdMax + 3, 'r');
    Decision d = decision(Verdict::drop, Reason::rate_limit);
    d.rule = 1;
    d.limiter = 0;
    const json line = line_of(echo_request_v4(), d, policy);
    BOOST_TEST(line["alert"]["signature"].get<std::string>() ==
               "rate-limit:" + std::string(icmpgate::log::kRuleIdMax, 'r'));
    BOOST_TEST(line["icmpgate"]["rule"].get<std::string>() == std::string(icmpgate::log::kRuleIdMax, 'r'));
}

BOOST_AUTO_TEST_CASE(building_and_formatting_records_allocates_nothing) {
    const CompiledPolicy policy = test_policy();
    Decision d = decision(Verdict::drop, Reason::anomaly);
    d.anomaly = Anomaly::implausible_mtu;
    const DecodedPacket packet = frag_needed_v4();
    PacketMeta meta;
    meta.now_ns = kMay20At101502;
    JsonLine line;
    const std::uint64_t before = icmpgate::test::allocation_count();
    std::size_t total = 0;
    for (std::uint64_t frame = 1; frame <= 1000; ++frame) {
        VerdictRecord record = make_verdict_record(packet, d, meta, policy);
        record.replay = ReplayContext{frame, "capture.pcap"};
        BOOST_REQUIRE(line.format(record));
        total += line.size();
    }
    BOOST_TEST(icmpgate::test::allocation_count() == before);
    BOOST_TEST(total > 0U);
}

BOOST_AUTO_TEST_SUITE_END()
