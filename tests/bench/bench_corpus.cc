#include "tests/bench/bench_corpus.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "rules/policy_loader.h"

namespace icmpgate::bench {
namespace {

using test::Packet;
using test::PacketBuilder;

// Shapes per cycle; two of them are anomalies, so ~10% of the corpus is anomalous.
constexpr std::size_t kCorpusKinds = 20;
constexpr std::size_t kAnomalyVariants = 4;
constexpr std::size_t kHostsPerSubnet = 250;  // sources .1 .. .250
constexpr std::size_t kEchoDataBytes = 56;    // ping's default
constexpr std::uint16_t kFirstEchoId = 0x4000;
constexpr std::uint16_t kMtuV4 = 1400;
constexpr std::uint32_t kMtuV6 = 1280;
constexpr std::uint8_t kUnknownTypeV4 = 99;
constexpr std::uint8_t kWrongHopLimit = 64;
constexpr std::size_t kTruncatedBytes = 50;  // an ICMPv6 echo cut inside its data
constexpr std::size_t kQuoteCutV4 = 28;      // RFC 792: IP header + 8 bytes

std::string host(std::string_view prefix, std::size_t n) {
    return std::string(prefix) + std::to_string(n % kHostsPerSubnet + 1);
}

CorpusPacket make_packet(std::size_t i) {
    const std::string c4 = host("192.0.2.", i);  // clients
    const std::string c6 = host("2001:db8:1::", i);
    const std::string s4 = "203.0.113.34";  // server
    const std::string s6 = "2001:db8:3::34";
    const std::string r4 = "203.0.113.2";  // a router sending errors
    const std::string r6 = "2001:db8:12::2";
    const auto seq = static_cast<std::uint16_t>(i);
    const auto id = static_cast<std::uint16_t>(kFirstEchoId + i % kHostsPerSubnet);
    switch (i % kCorpusKinds) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
            return {PacketBuilder::ipv4(c4, s4).echo_request(id, seq).payload_zeros(kEchoDataBytes).build()};
        case 6:
        case 7:
            return {PacketBuilder::ipv4(s4, c4).echo_reply(id, seq).payload_zeros(kEchoDataBytes).build()};
        case 8:
            return {PacketBuilder::ipv6(c6, s6).echo_request(id, seq).payload_zeros(kEchoDataBytes).build()};
        case 9:
            return {PacketBuilder::ipv6(s6, c6).echo_reply(id, seq).payload_zeros(kEchoDataBytes).build()};
        case 10:  // BlackNurse-shaped: port unreachable quoting UDP
            return {PacketBuilder::ipv4(r4, c4)
                        .port_unreachable()
                        .quote(PacketBuilder::ipv4(c4, s4).udp(40000, 53, 32))
                        .build()};
        case 11:  // PMTUD
            return {PacketBuilder::ipv4(r4, c4)
                        .frag_needed(kMtuV4)
                        .quote(PacketBuilder::ipv4(c4, s4).df().tcp(44321, 443), kQuoteCutV4)
                        .build()};
        case 12:  // traceroute with ICMP probes
            return {PacketBuilder::ipv4(r4, c4)
                        .time_exceeded()
                        .quote(PacketBuilder::ipv4(c4, s4).ttl(1).echo_request(id, seq).payload_zeros(kEchoDataBytes))
                        .build()};
        case 13:
            return {PacketBuilder::ipv6(r6, c6)
                        .packet_too_big(kMtuV6)
                        .quote(PacketBuilder::ipv6(c6, s6).tcp(44321, 443))
                        .build()};
        case 14:
            return {PacketBuilder::ipv6(r6, c6)
                        .time_exceeded()
                        .quote(PacketBuilder::ipv6(c6, s6).hop_limit(1).udp(33434, 33435, 32))
                        .build()};
        case 15:  // extension headers in front of ICMPv6
            return {PacketBuilder::ipv6(c6, s6)
                        .hop_by_hop()
                        .destination_options()
                        .echo_request(id, seq)
                        .payload_zeros(kEchoDataBytes)
                        .build()};
        case 16:  // an atomic fragment header, then the error
            return {PacketBuilder::ipv6(r6, c6)
                        .fragment_header(0, false)
                        .port_unreachable()
                        .quote(PacketBuilder::ipv6(c6, s6).udp(40000, 53, 32))
                        .build()};
        case 17:
            return {PacketBuilder::ipv4(r4, c4)
                        .icmp(3, 1)
                        .quote(PacketBuilder::ipv4(c4, s4).echo_request(id, seq), kQuoteCutV4)
                        .build()};
        case 18:
        default:
            switch ((i / kCorpusKinds) % kAnomalyVariants) {
                case 0:
                    return {PacketBuilder::ipv4(c4, s4)
                                .echo_request(id, seq)
                                .payload_zeros(kEchoDataBytes)
                                .bad_checksum()
                                .build(),
                            true};
                case 1:
                    return {test::cut(
                                PacketBuilder::ipv6(c6, s6).echo_request(id, seq).payload_zeros(kEchoDataBytes).build(),
                                kTruncatedBytes),
                            true};
                case 2:
                    return {PacketBuilder::ipv4(c4, s4).icmp(kUnknownTypeV4).payload_zeros(8).build(), true};
                default:  // neighbour solicitation forwarded with the wrong hop limit
                    return {PacketBuilder::ipv6(c6, s6).hop_limit(kWrongHopLimit).icmp(135).payload_zeros(16).build(),
                            true};
            }
        case 19:  // the other half of the anomalies: quoted source is not the outer destination
            return {PacketBuilder::ipv4(r4, c4)
                        .port_unreachable()
                        .quote(PacketBuilder::ipv4(s4, c4).udp(53, 40000, 32))
                        .build(),
                    true};
    }
}

std::shared_ptr<const rules::CompiledPolicy> load(const nlohmann::json& document, std::string_view name) {
    const rules::LoadResult result = rules::load_policy_text(document.dump(), name);
    if (!result.ok()) {
        std::string message = "benchmark policy " + std::string(name) + " does not load:";
        for (const rules::Diagnostic& d : result.diagnostics) message += "\n  " + d.to_string();
        throw std::runtime_error(message);
    }
    return result.policy;
}

nlohmann::json generated_rule(std::size_t i) {
    static const std::vector<std::string> types_v4{"echo-request", "echo-reply", "destination-unreachable",
                                                   "time-exceeded"};
    static const std::vector<std::string> types_v6{"echo-request", "echo-reply", "destination-unreachable",
                                                   "packet-too-big", "time-exceeded"};
    const bool v4 = i % 2 == 0;
    const std::size_t n = i / 2;
    const std::string& type = v4 ? types_v4[n % types_v4.size()] : types_v6[n % types_v6.size()];
    // Prefixes outside the corpus's addresses (10/8 and fd00::/8), different per rule.
    const std::string a = std::to_string(n % 256);
    const std::string b = std::to_string(n / 256 % 256);
    std::ostringstream hex;
    hex << std::hex << n;
    nlohmann::json match;
    match["family"] = v4 ? "ipv4" : "ipv6";
    match["type"] = type;
    if (v4)
        match["source"] = {"10." + b + "." + a + ".0/24", "10.200." + a + ".0/24"};
    else
        match["source"] = {"fd00:" + hex.str() + "::/48", "fd01:" + hex.str() + "::/48"};
    const bool error = type != "echo-request" && type != "echo-reply";
    if (error) {
        const auto port = static_cast<unsigned>(1024 + n % 30000);
        match["embedded"] = {
            {"protocol", {"udp", "tcp"}},
            {"destination_port", {port, std::to_string(port + 100) + "-" + std::to_string(port + 200)}}};
    } else {
        match["payload_size"] = {{"min", 0}, {"max", 1000 + n % 100}};
    }
    return {{"id", "generated-" + std::to_string(i)},
            {"match", match},
            // Dropping a protected error would need override_protection: errors are accepted.
            {"verdict", error || i % 3 == 0 ? "accept" : "drop"}};
}

}  // namespace

std::vector<CorpusPacket> mixed_corpus(std::size_t count) {
    std::vector<CorpusPacket> corpus;
    corpus.reserve(count);
    for (std::size_t i = 0; i < count; ++i) corpus.push_back(make_packet(i));
    return corpus;
}

std::string default_policy_text() {
    const std::string path = std::string(ICMPGATE_SOURCE_DIR) + "/deploy/policies/default.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::shared_ptr<const rules::CompiledPolicy> policy_with_rules(std::size_t generated_rules) {
    nlohmann::json document = nlohmann::json::parse(default_policy_text());
    nlohmann::json rules = nlohmann::json::array();
    for (std::size_t i = 0; i < generated_rules; ++i) rules.push_back(generated_rule(i));
    for (const nlohmann::json& rule : document["rules"]) rules.push_back(rule);
    document["rules"] = rules;
    return load(document, "default+" + std::to_string(generated_rules) + "-generated.json");
}

std::shared_ptr<const rules::CompiledPolicy> policy_with_echo_table(std::uint32_t max_entries) {
    nlohmann::json document = nlohmann::json::parse(default_policy_text());
    document["rate_limits"]["echo-per-source"]["max_entries"] = max_entries;
    return load(document, "default-echo-max-entries-" + std::to_string(max_entries) + ".json");
}

}  // namespace icmpgate::bench
