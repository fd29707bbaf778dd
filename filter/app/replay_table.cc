#include "filter/app/replay_table.h"

#include <algorithm>
#include <ostream>
#include <string_view>
#include <utility>

#include "filter/decode/icmp_catalogue.h"
#include "filter/log/eve_timestamp.h"
#include "filter/verdict/decision.h"

namespace icmpgate::app {
namespace {

constexpr std::string_view kColumnGap = "  ";
constexpr std::array<std::string_view, ReplayTable::kColumnCount> kHeadings{
    "frame", "time (UTC)", "source -> destination", "type/code", "verdict", "reason", "rule"};
// Characters of an EVE timestamp that are the time of day: "HH:MM:SS.uuuuuu".
constexpr std::size_t kTimeOfDayOffset = 11;
constexpr std::size_t kTimeOfDayLength = 15;

std::string address_text(const decode::IpAddress& address) {
    std::array<char, decode::kIpAddressTextMax> text{};
    const std::size_t length = decode::format_ip(address, text);
    return {text.data(), length};
}

std::string time_of_day(std::int64_t time_ns) {
    std::array<char, log::kEveTimestampLength> text{};
    log::format_eve_timestamp(time_ns, text);
    return std::string{text.data() + kTimeOfDayOffset, kTimeOfDayLength};
}

std::string type_code_text(const decode::DecodedPacket& packet) {
    if (!packet.is_ip) return "(not IP)";
    if (!packet.has_icmp_header) {
        if (packet.is_icmp || packet.is_fragment) return packet.is_fragment ? "(fragment)" : "(truncated)";
        const std::string_view name = log::eve_protocol_name(packet.protocol);
        return "(" + (name.empty() ? "protocol " + std::to_string(packet.protocol) : std::string{name}) + ")";
    }
    const std::string_view type_name = decode::icmp_type_name(packet.family, packet.icmp_type);
    const std::string_view code_name = decode::icmp_code_name(packet.family, packet.icmp_type, packet.icmp_code);
    std::string text = type_name.empty() ? "type " + std::to_string(packet.icmp_type) : std::string{type_name};
    if (!code_name.empty() && code_name != type_name)
        text += "/" + std::string{code_name};
    else if (code_name.empty() && packet.icmp_code != 0)
        text += "/" + std::to_string(packet.icmp_code);
    return text;
}

std::string reason_string(const verdict::Decision& decision) {
    const log::TwoPartText reason = log::reason_text(decision);
    return std::string{reason.first} + std::string{reason.second};
}

}  // namespace

void ReplayTable::write(const log::VerdictRecord& record) {
    const decode::DecodedPacket& packet = record.packet;
    Row row;
    row[0] = std::to_string(record.replay ? record.replay->frame : rows_.size() + 1);
    row[1] = time_of_day(record.time_ns);
    row[2] = packet.is_ip ? (packet.has_src ? address_text(packet.src) : "?") + " -> " +
                                (packet.has_dst ? address_text(packet.dst) : "?")
                          : "-";
    row[3] = type_code_text(packet);
    row[4] = record.decision.verdict == rules::Verdict::drop ? "drop" : "accept";
    row[5] = reason_string(record.decision);
    row[6] = record.rule_id.empty() ? "-" : std::string{record.rule_id};
    if (!record.limiter_name.empty()) row[6] += " (limiter " + std::string{record.limiter_name} + ")";
    rows_.push_back(std::move(row));
}

void ReplayTable::print(const pipeline::VerdictCounts& counts, std::ostream& out) const {
    std::array<std::size_t, kColumnCount> widths{};
    for (std::size_t c = 0; c < kColumnCount; ++c) widths[c] = kHeadings[c].size();
    for (const Row& row : rows_)
        for (std::size_t c = 0; c < kColumnCount; ++c) widths[c] = std::max(widths[c], row[c].size());

    const auto print_row = [&](const auto& cells) {
        std::string line;
        for (std::size_t c = 0; c < kColumnCount; ++c) {
            const std::string_view cell = cells[c];
            if (c == 0) line.append(widths[c] - cell.size(), ' ');  // frame numbers align right
            line += cell;
            if (c + 1 < kColumnCount) {
                if (c != 0) line.append(widths[c] - cell.size(), ' ');
                line += kColumnGap;
            }
        }
        out << line << '\n';
    };
    print_row(kHeadings);
    for (const Row& row : rows_) print_row(row);
    out << '\n';
    print_totals(counts, out);
}

void print_totals(const pipeline::VerdictCounts& counts, std::ostream& out) {
    const std::uint64_t frames = counts.total();
    out << frames << (frames == 1 ? " frame: " : " frames: ") << counts.of(rules::Verdict::accept) << " accepted, "
        << counts.of(rules::Verdict::drop) << " dropped\n";
    std::vector<std::pair<std::string, std::uint64_t>> lines;
    for (const verdict::ReasonInfo& reason : verdict::kReasons) {
        const std::uint64_t n = counts.of(reason.reason);
        if (reason.reason == verdict::Reason::anomaly || n == 0) continue;
        lines.emplace_back(std::string{reason.name}, n);
    }
    for (const decode::AnomalyInfo& info : decode::kAnomalies) {
        const std::uint64_t n = counts.of(info.anomaly);
        if (n != 0) lines.emplace_back("anomaly:" + std::string{info.name}, n);
    }
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::size_t width = 0;
    for (const auto& [name, n] : lines) width = std::max(width, name.size());
    for (const auto& [name, n] : lines) out << "  " << name << std::string(width - name.size(), ' ') << "  " << n << '\n';
}

}  // namespace icmpgate::app
