#include "filter/app/compare_report.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <utility>

#include "filter/app/packet_text.h"
#include "filter/app/text_table.h"
#include "filter/log/eve_timestamp.h"
#include "filter/log/verdict_record.h"
#include "filter/pipeline/verdict_counters.h"

namespace icmpgate::app {
namespace {

// A cold-path report (one line per differing frame): nlohmann's writer, keys in insertion order.
using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, DifferenceTable::kColumnCount> kHeadings{
    "frame", "time (UTC)", "source -> destination", "type/code", "old", "new"};

std::string_view verdict_word(rules::Verdict verdict) {
    return pipeline::kVerdicts[pipeline::verdict_index(verdict)].label;
}

std::string timestamp_text(std::int64_t time_ns) {
    std::array<char, log::kEveTimestampLength> text{};
    log::format_eve_timestamp(time_ns, text);
    return {text.data(), text.size()};
}

std::string protocol_text(std::uint8_t protocol) {
    const std::string_view name = log::eve_protocol_name(protocol);
    return name.empty() ? std::to_string(protocol) : std::string{name};
}

// {"verdict", "reason", "rule", "limiter"}: the verdict line's icmpgate fields of the same names.
Json outcome_json(const compare::Outcome& outcome) {
    Json side;
    side["verdict"] = verdict_word(outcome.verdict);
    side["reason"] = outcome.reason;
    side["rule"] = outcome.rule ? Json(*outcome.rule) : Json(nullptr);
    if (outcome.limiter) side["limiter"] = *outcome.limiter;
    return side;
}

// "accept v4-echo-request", "drop rate-limit:v4-echo-request (limiter echo-per-source)".
std::string outcome_cell(const compare::Outcome& outcome) {
    std::string cell{verdict_word(outcome.verdict)};
    cell += ' ';
    cell += outcome.decided_by;
    if (outcome.limiter) cell += " (limiter " + *outcome.limiter + ")";
    return cell;
}

Json policy_json(const std::string& file, const std::string& digest) {
    Json policy;
    policy["file"] = file;
    policy["digest"] = digest;
    return policy;
}

std::string frames_differ(const compare::ComparisonTally& tally) {
    return std::to_string(tally.differing) + " of " + std::to_string(tally.packets) +
           (tally.packets == 1 ? " frame differs" : " frames differ");
}

}  // namespace

void DifferenceLines::write(const compare::Difference& difference) {
    const decode::DecodedPacket& packet = difference.packet;
    Json line;
    line["compare"] = "difference";
    line["timestamp"] = timestamp_text(difference.time_ns);
    line["pcap_cnt"] = difference.frame;
    line["pcap_filename"] = pcap_filename_;
    // As in a verdict line: only the fields the decoder read.
    if (packet.is_ip) {
        if (packet.has_src) line["src_ip"] = address_text(packet.src, ipv6_);
        if (packet.has_dst) line["dest_ip"] = address_text(packet.dst, ipv6_);
        if (packet.has_protocol) line["proto"] = protocol_text(packet.protocol);
        line["ip_v"] = static_cast<unsigned>(packet.family);
    }
    if (packet.has_icmp_header) {
        line["icmp_type"] = packet.icmp_type;
        line["icmp_code"] = packet.icmp_code;
    }
    line["old"] = outcome_json(difference.old_outcome);
    line["new"] = outcome_json(difference.new_outcome);
    out_ << line.dump() << '\n';
}

void write_summary_line(const compare::ComparisonTally& tally, const ComparedFiles& files, std::ostream& out) {
    Json line;
    line["compare"] = "summary";
    line["old_policy"] = policy_json(files.old_policy, files.old_digest);
    line["new_policy"] = policy_json(files.new_policy, files.new_digest);
    line["pcap_filename"] = files.pcap_filename;
    line["frames"] = tally.packets;
    line["differing"] = tally.differing;
    Json by_verdict = Json::array();
    for (const auto& change : tally.by_verdict_changes())
        by_verdict.push_back(Json{{"old", verdict_word(change.old_side)},
                                  {"new", verdict_word(change.new_side)},
                                  {"frames", change.packets}});
    line["by_verdict"] = std::move(by_verdict);
    Json by_rule = Json::array();
    for (const auto& change : tally.by_decider())
        by_rule.push_back(Json{{"old", change.old_side}, {"new", change.new_side}, {"frames", change.packets}});
    line["by_rule"] = std::move(by_rule);
    out << line.dump() << '\n';
}

void DifferenceTable::write(const compare::Difference& difference) {
    rows_.push_back({std::to_string(difference.frame), time_of_day(difference.time_ns),
                     addresses_text(difference.packet, ipv6_), type_code_text(difference.packet),
                     outcome_cell(difference.old_outcome), outcome_cell(difference.new_outcome)});
}

void DifferenceTable::print(const compare::ComparisonTally& tally, const ComparedFiles& files,
                            std::ostream& out) const {
    if (!rows_.empty()) {
        print_aligned(kHeadings, rows_, out);
        out << '\n';
    }
    out << frames_differ(tally) << " in " << files.pcap_filename << '\n';
    out << "  old: " << files.old_policy << " (" << files.old_digest << ")\n";
    out << "  new: " << files.new_policy << " (" << files.new_digest << ")\n";
    if (tally.differing == 0) return;
    std::vector<std::pair<std::string, std::uint64_t>> lines;
    for (const auto& change : tally.by_verdict_changes())
        lines.emplace_back(
            std::string{verdict_word(change.old_side)} + " -> " + std::string{verdict_word(change.new_side)},
            change.packets);
    out << "by verdict (old -> new):\n";
    print_counts(lines, out);
    lines.clear();
    for (const auto& change : tally.by_decider())
        lines.emplace_back(change.old_side + " -> " + change.new_side, change.packets);
    out << "by rule (old -> new):\n";
    print_counts(lines, out);
}

}  // namespace icmpgate::app
