#include "filter/compare/policy_comparison.h"

#include <algorithm>
#include <string_view>

#include "filter/log/verdict_record.h"
#include "filter/verdict/engine.h"

namespace icmpgate::compare {
namespace {

// Replay's seed (filter/replay/pcap_replay.cc): the same eviction order as the new policy's tables.
constexpr std::uint64_t kReplayHashSeed = 0;

std::string joined(log::TwoPartText text) {
    std::string out{text.first};
    out += text.second;
    return out;
}

std::optional<std::string> text_if_any(std::string_view text) {
    return text.empty() ? std::nullopt : std::optional<std::string>{std::string{text}};
}

}  // namespace

Outcome outcome_of(const pipeline::PacketEvent& event, const verdict::Decision& decision,
                   const rules::CompiledPolicy& policy) {
    // The log's own record, so that every name is the one a verdict line would give.
    const log::VerdictRecord record = log::make_verdict_record(event.packet, decision, event.input.meta, policy);
    Outcome outcome;
    outcome.verdict = decision.verdict;
    outcome.reason = joined(log::reason_text(decision));
    outcome.rule = text_if_any(std::string_view{record.rule_id});
    outcome.limiter = text_if_any(std::string_view{record.limiter_name});
    outcome.decided_by = joined(log::alert_signature(record));
    return outcome;
}

void ComparisonTally::add(const Difference& difference) {
    ++differing;
    ++by_verdict[pipeline::verdict_index(difference.old_outcome.verdict)]
                [pipeline::verdict_index(difference.new_outcome.verdict)];
    const auto key = std::make_pair(difference.old_outcome.decided_by, difference.new_outcome.decided_by);
    const auto [it, inserted] = deciders_.try_emplace(key, DeciderCount{0, deciders_.size()});
    ++it->second.packets;
}

std::vector<Change<std::string>> ComparisonTally::by_decider() const {
    std::vector<std::pair<std::size_t, Change<std::string>>> seen;
    seen.reserve(deciders_.size());
    for (const auto& [key, count] : deciders_)
        seen.push_back({count.first_seen, {key.first, key.second, count.packets}});
    std::sort(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
        return a.second.packets != b.second.packets ? a.second.packets > b.second.packets : a.first < b.first;
    });
    std::vector<Change<std::string>> changes;
    changes.reserve(seen.size());
    for (auto& [order, change] : seen) changes.push_back(std::move(change));
    return changes;
}

std::vector<Change<rules::Verdict>> ComparisonTally::by_verdict_changes() const {
    std::vector<Change<rules::Verdict>> changes;
    for (const pipeline::VerdictName& old_side : pipeline::kVerdicts)
        for (const pipeline::VerdictName& new_side : pipeline::kVerdicts) {
            const std::uint64_t n =
                by_verdict[pipeline::verdict_index(old_side.verdict)][pipeline::verdict_index(new_side.verdict)];
            if (n != 0) changes.push_back({old_side.verdict, new_side.verdict, n});
        }
    std::stable_sort(changes.begin(), changes.end(),
                     [](const auto& a, const auto& b) { return a.packets > b.packets; });
    return changes;
}

ComparisonSink::ComparisonSink(const rules::CompiledPolicy& old_policy, DifferenceSink& differences)
    : old_policy_{old_policy}, old_limiters_{old_policy.limiters, kReplayHashSeed}, differences_{differences} {}

void ComparisonSink::on_packet(const pipeline::PacketEvent& event) {
    ++tally_.packets;
    // The same decoded packet and clock as the new policy's decision; the old policy's own limiters.
    const verdict::Decision old_decision = verdict::decide(old_policy_, event.packet, event.input.meta, old_limiters_);
    Outcome old_outcome = outcome_of(event, old_decision, old_policy_);
    Outcome new_outcome = outcome_of(event, event.decision, event.policy);
    if (!old_outcome.differs_from(new_outcome)) return;

    Difference difference;
    difference.frame = event.input.origin.capture ? event.input.origin.capture->frame : 0;
    difference.time_ns = event.input.meta.now_ns;
    difference.packet = event.packet;
    difference.old_outcome = std::move(old_outcome);
    difference.new_outcome = std::move(new_outcome);
    tally_.add(difference);
    differences_.write(difference);
}

}  // namespace icmpgate::compare
