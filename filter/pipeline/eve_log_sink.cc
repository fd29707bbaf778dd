#include "filter/pipeline/eve_log_sink.h"

#include <array>
#include <limits>

#include "filter/pipeline/record_sink.h"

namespace icmpgate::pipeline {
namespace {
// A log_suppressed event is about 200 bytes plus a rule id of at most log::kRuleIdMax.
constexpr std::size_t kSummaryLineMax = 512;
}  // namespace

void EveLogSink::begin_batch(std::int64_t now_ns, const rules::CompiledPolicy& policy) noexcept {
    batch_now_ns_ = now_ns;
    batch_wall_ns_ = -1;
    if (!batch_seen_ && options_.suppression_clock == SuppressionClock::from_first_batch)
        suppression_origin_ns_ = now_ns;
    batch_seen_ = true;
    if (options_.suppressor != nullptr)
        options_.suppressor->collect_ended(suppression_time(now_ns),
                                           [&](const log::SuppressionSummary& s) { write_summary(s, policy); });
}

void EveLogSink::on_packet(const PacketEvent& event) noexcept {
    // The policy's rule and reason, also under run --monitor (whose lines all have reason monitor):
    // monitoring logs what enforcing would log, thinned the same way.
    const verdict::Outcome& decision = verdict::policy_outcome(event.decision);
    if (decision.rule && !event.policy.rules[*decision.rule].log) return;  // "log": false

    if (options_.suppressor != nullptr) {
        const log::SuppressionKey key{decision.rule.value_or(UINT32_MAX), decision.reason, decision.anomaly};
        log::SuppressionSummary ended;
        const bool allowed = options_.suppressor->allow(key, suppression_time(event.input.meta.now_ns), &ended);
        if (ended.suppressed > 0) write_summary(ended, event.policy);
        if (!allowed) {
            counters_.suppressed.add();
            return;
        }
    }
    log::VerdictRecord record = make_record(event);
    if (options_.wall_clock != nullptr) record.time_ns = batch_time();
    record.community_id_seed = options_.community_id_seed;
    record.ipv6_text = options_.ipv6_text;
    if (line_.format(record)) submit(line_.line());
}

void EveLogSink::finish(const rules::CompiledPolicy& policy) noexcept {
    if (options_.suppressor == nullptr) return;
    options_.suppressor->collect_ended(std::numeric_limits<std::int64_t>::max(),
                                       [&](const log::SuppressionSummary& s) { write_summary(s, policy); });
}

void EveLogSink::write_summary(const log::SuppressionSummary& summary, const rules::CompiledPolicy& policy) noexcept {
    std::string_view rule_id;
    if (summary.key.rule < policy.rules.size()) rule_id = policy.rules[summary.key.rule].id;
    std::array<char, kSummaryLineMax> out{};
    // The summary's window start is on the suppression clock; the event carries the batch's time.
    const std::size_t n =
        log::format_suppression_summary(summary, rule_id, batch_time(), std::span<char>{out}.first(out.size() - 1));
    if (n == 0) return;
    out[n] = '\n';
    submit({out.data(), n + 1});
}

void EveLogSink::submit(std::string_view line) noexcept {
    if (!output_.submit(line)) counters_.refused.add();
}

std::int64_t EveLogSink::batch_time() noexcept {
    if (options_.wall_clock == nullptr) return batch_now_ns_;
    if (batch_wall_ns_ < 0) batch_wall_ns_ = options_.wall_clock();
    return batch_wall_ns_;
}

}  // namespace icmpgate::pipeline
