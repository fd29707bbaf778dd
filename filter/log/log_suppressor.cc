#include "filter/log/log_suppressor.h"

#include "filter/log/icmpgate_event.h"
#include "filter/log/json_writer.h"

namespace icmpgate::log {

bool LogSuppressor::allow(const SuppressionKey& key, std::int64_t now_ns, SuppressionSummary* ended) noexcept {
    if (limit_ == 0) return true;
    const std::size_t h = (static_cast<std::size_t>(key.rule) * 31U + static_cast<std::size_t>(key.reason) * 7U +
                           static_cast<std::size_t>(key.anomaly)) %
                          kSlots;
    Slot& s = slots_[h];
    if (!s.used || !(s.key == key)) {
        // A new key (or a collision: the slot is taken over; its pending count is reported).
        if (s.used && s.suppressed > 0 && ended != nullptr) *ended = {s.key, s.suppressed, s.window_start_ns};
        s = Slot{key, true, now_ns, 0, 0};
    } else if (now_ns - s.window_start_ns >= kWindowNs) {
        if (s.suppressed > 0 && ended != nullptr) *ended = {s.key, s.suppressed, s.window_start_ns};
        s.window_start_ns = now_ns;
        s.lines = 0;
        s.suppressed = 0;
    }
    if (s.lines < limit_) {
        ++s.lines;
        return true;
    }
    ++s.suppressed;
    ++total_suppressed_;
    return false;
}

std::size_t format_suppression_summary(const SuppressionSummary& summary, std::string_view rule_id,
                                       std::int64_t wall_ns, std::span<char> out) noexcept {
    JsonWriter w{out};
    begin_icmpgate_event(w, wall_ns, IcmpgateEvent::log_suppressed);
    w.key("rule");
    if (rule_id.empty()) {
        w.null_value();
    } else {
        w.string_value(rule_id);
    }
    w.key("reason");
    if (summary.key.reason == verdict::Reason::anomaly) {
        w.string_value("anomaly:", decode::anomaly_name(summary.key.anomaly));
    } else {
        w.string_value(verdict::reason_name(summary.key.reason));
    }
    w.key("lines_suppressed");
    w.unsigned_value(summary.suppressed);
    w.end_object();  // icmpgate
    w.end_object();
    return w.overflowed() ? 0 : w.size();
}

}  // namespace icmpgate::log
