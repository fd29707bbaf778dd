#include "filter/app/replay_table.h"

#include <algorithm>
#include <ostream>
#include <string_view>
#include <utility>

#include "filter/app/packet_text.h"
#include "filter/app/text_table.h"
#include "filter/app/would_be_text.h"
#include "filter/verdict/decision.h"

namespace icmpgate::app {
namespace {

constexpr std::array<std::string_view, ReplayTable::kColumnCount> kHeadings{
    "frame", "time (UTC)", "source -> destination", "type/code", "verdict", "reason", "rule", "monitor"};

std::string reason_string(const verdict::Outcome& decision) {
    const log::TwoPartText reason = log::reason_text(decision);
    return std::string{reason.first} + std::string{reason.second};
}

std::string_view verdict_word(rules::Verdict verdict) {
    return verdict == rules::Verdict::drop ? "drop" : "accept";
}

// What monitor mode found, as the verdict, reason and rule columns would say it:
// "drop rule drop-echo", "drop rate-limit echo-reply (limiter replies)", "accept protected".
std::string would_be_cell(const log::VerdictRecord& record) {
    if (!record.decision.would_be) return "";
    const verdict::Outcome& would_be = *record.decision.would_be;
    std::string cell = std::string{verdict_word(would_be.verdict)} + " " + reason_string(would_be);
    if (!record.would_be_rule_id.empty()) cell += " " + std::string{std::string_view{record.would_be_rule_id}};
    if (!record.would_be_limiter_name.empty())
        cell += " (limiter " + std::string{std::string_view{record.would_be_limiter_name}} + ")";
    return cell;
}

}  // namespace

void ReplayTable::write(const log::VerdictRecord& record) {
    const decode::DecodedPacket& packet = record.packet;
    Row row;
    row[0] = std::to_string(record.replay ? record.replay->frame : rows_.size() + 1);
    row[1] = time_of_day(record.time_ns);
    row[2] = addresses_text(packet);
    row[3] = type_code_text(packet);
    row[4] = verdict_word(record.decision.verdict);
    row[5] = reason_string(record.decision);
    row[6] = record.rule_id.empty() ? "-" : std::string{record.rule_id};
    if (!record.limiter_name.empty()) row[6] += " (limiter " + std::string{record.limiter_name} + ")";
    row[7] = would_be_cell(record);
    any_would_be_ = any_would_be_ || record.decision.would_be.has_value();
    rows_.push_back(std::move(row));
}

void ReplayTable::print(const pipeline::VerdictCounts& counts, std::ostream& out) const {
    print_aligned(kHeadings, rows_, out, any_would_be_ ? kColumnCount : kColumnCount - 1);
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
    print_counts(lines, out);
    if (const std::string would_be = would_be_text(counts); !would_be.empty()) out << would_be << '\n';
}

}  // namespace icmpgate::app
