#include "filter/metrics/prometheus_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "filter/log/icmpgate_event.h"

namespace icmpgate::metrics {
namespace {

constexpr double kNsPerSecond = 1e9;

struct Label {
    std::string_view name;
    std::string value;
};

class Exposition {
public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_ += "# HELP ";
        out_ += name;
        out_ += ' ';
        out_ += help;
        out_ += "\n# TYPE ";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }
    void sample(std::string_view name, std::initializer_list<Label> labels, std::string_view value) {
        out_ += name;
        if (labels.size() > 0) {
            out_ += '{';
            bool first = true;
            for (const Label& l : labels) {
                if (!first) out_ += ',';
                first = false;
                out_ += l.name;
                out_ += "=\"";
                out_ += escape_label_value(l.value);
                out_ += '"';
            }
            out_ += '}';
        }
        out_ += ' ';
        out_ += value;
        out_ += '\n';
    }
    void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value) {
        sample(name, labels, std::to_string(value));
    }
    [[nodiscard]] std::string take() { return std::move(out_); }

private:
    std::string out_;
};

std::uint64_t lines_lost(const LogStats& stats, log::LineLoss loss) {
    switch (loss) {
        case log::LineLoss::queue_full:
            return stats.dropped_queue_full;
        case log::LineLoss::too_long:
            return stats.dropped_too_long;
        case log::LineLoss::write_error:
            return stats.dropped_write_error;
    }
    return 0;
}

std::string seconds(std::int64_t ns) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", static_cast<double>(ns) / kNsPerSecond);
    return text;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string format_prometheus_text(const StatsSnapshot& s) {
    Exposition e;
    e.family("icmpgate_build_info", "gauge", "Always 1; the version of the running icmpgate.");
    e.sample("icmpgate_build_info", {{"version", s.version}}, 1);
    e.family("icmpgate_start_time_seconds", "gauge", "Start time of the daemon since the Unix epoch, in seconds.");
    e.sample("icmpgate_start_time_seconds", {}, seconds(s.start_unix_ns));

    // The queue source's own counters, one family each (pipeline::kSourceCounters); accepted and
    // dropped are icmpgate_packets_total's verdict label.
    for (const pipeline::SourceCounterInfo& row : pipeline::kSourceCounters) {
        if (row.metric_name.empty()) continue;
        e.family(row.metric_name, "counter", row.metric_help);
        for (const QueueStats& q : s.queues)
            e.sample(row.metric_name, {{"queue", std::to_string(q.queue)}}, q.counts[row.counter]);
    }
    e.family("icmpgate_packets_total", "counter", "Packets given a verdict, by queue, verdict and reason.");
    for (const QueueStats& q : s.queues)
        for (const verdict::ReasonInfo& reason : verdict::kReasons)
            for (const pipeline::VerdictName& v : pipeline::kVerdicts)
                e.sample(
                    "icmpgate_packets_total",
                    {{"queue", std::to_string(q.queue)},
                     {"verdict", std::string{v.label}},
                     {"reason", std::string{reason.name}}},
                    q.verdicts.by_reason[pipeline::verdict_index(v.verdict)][static_cast<std::size_t>(reason.reason)]);
    // Monitor mode: what the policy (run --monitor) or a monitor rule would have decided.
    e.family("icmpgate_packets_would_be_total", "counter",
             "Packets by the verdict and reason monitor mode found they would have had (run --monitor: every "
             "packet; rules in monitor mode: the packets they matched), by queue.");
    for (const QueueStats& q : s.queues)
        for (const verdict::ReasonInfo& reason : verdict::kReasons)
            for (const pipeline::VerdictName& v : pipeline::kVerdicts)
                e.sample("icmpgate_packets_would_be_total",
                         {{"queue", std::to_string(q.queue)},
                          {"verdict", std::string{v.label}},
                          {"reason", std::string{reason.name}}},
                         q.verdicts.would_be_by_reason[pipeline::verdict_index(v.verdict)]
                                                      [static_cast<std::size_t>(reason.reason)]);
    // A separate series rather than a family label on icmpgate_packets_total, so that series
    // keeps its label set (docs/operations.md, "Metrics").
    e.family("icmpgate_packets_by_family_total", "counter",
             "IP packets given a verdict, by queue, family and verdict.");
    for (const QueueStats& q : s.queues)
        for (std::size_t f = 0; f < pipeline::kFamilyCount; ++f)
            for (const pipeline::VerdictName& v : pipeline::kVerdicts)
                e.sample("icmpgate_packets_by_family_total",
                         {{"queue", std::to_string(q.queue)},
                          {"family", std::string{pipeline::kFamilies[f]}},
                          {"verdict", std::string{v.label}}},
                         q.verdicts.by_family[pipeline::verdict_index(v.verdict)][f]);

    e.family("icmpgate_nfqueue_queue_dropped_total", "counter",
             "Packets the kernel dropped or let pass (fail-open) because the queue was full.");
    for (const QueueStats& q : s.queues)
        if (q.kernel)
            e.sample("icmpgate_nfqueue_queue_dropped_total", {{"queue", std::to_string(q.queue)}},
                     q.kernel->queue_dropped);
    e.family("icmpgate_nfqueue_user_dropped_total", "counter",
             "Packets the kernel dropped because it could not send them to us over netlink.");
    for (const QueueStats& q : s.queues)
        if (q.kernel)
            e.sample("icmpgate_nfqueue_user_dropped_total", {{"queue", std::to_string(q.queue)}},
                     q.kernel->user_dropped);
    e.family("icmpgate_nfqueue_queue_length", "gauge", "Packets waiting in the kernel's queue for a verdict.");
    for (const QueueStats& q : s.queues)
        if (q.kernel)
            e.sample("icmpgate_nfqueue_queue_length", {{"queue", std::to_string(q.queue)}}, q.kernel->waiting);

    // Not per queue: a rule spreads its packets over a range of queues.
    if (s.bypass) {
        e.family("icmpgate_nfqueue_queue_rules", "gauge", "Firewall rules that send packets to this daemon's queues.");
        e.sample("icmpgate_nfqueue_queue_rules", {}, s.bypass->queue_rules);
        e.family("icmpgate_nfqueue_rules_queued_total", "counter",
                 "Packets the firewall's queue rules sent to this daemon's queues (the rules' counters).");
        e.sample("icmpgate_nfqueue_rules_queued_total", {}, s.bypass->rules_queued);
        e.family("icmpgate_nfqueue_bypassed_total", "counter",
                 "Packets the queue rules sent that were accepted uninspected (fail-open: queue or socket buffer "
                 "full; no listener), counted by no kernel queue counter.");
        e.sample("icmpgate_nfqueue_bypassed_total", {}, s.bypass->bypassed);
    }

    const QueueStats total = queue_totals(s);
    e.family("icmpgate_anomalies_total", "counter", "Packets whose verdict an anomaly decided, by anomaly.");
    for (const decode::AnomalyInfo& info : decode::kAnomalies)
        e.sample("icmpgate_anomalies_total", {{"anomaly", std::string(info.name)}}, total.verdicts.of(info.anomaly));

    e.family("icmpgate_rule_matches_total", "counter",
             "Packets that matched a rule, by rule id (since start, across reloads).");
    for (const RuleStats& r : s.rules) e.sample("icmpgate_rule_matches_total", {{"rule", r.id}}, r.matches);
    e.family("icmpgate_rate_limiter_entries", "gauge", "Keys a rate limiter's table holds now.");
    for (const LimiterStats& l : s.limiters)
        e.sample("icmpgate_rate_limiter_entries", {{"limiter", l.name}}, l.entries);
    e.family("icmpgate_rate_limiter_evictions_total", "counter", "Keys evicted from a full rate limiter table.");
    for (const LimiterStats& l : s.limiters)
        e.sample("icmpgate_rate_limiter_evictions_total", {{"limiter", l.name}}, l.evictions);
    e.family("icmpgate_rate_limited_total", "counter",
             "Packets dropped because a rate limiter had no token, by limiter (reason rate-limit).");
    for (const LimiterStats& l : s.limiters)
        e.sample("icmpgate_rate_limited_total", {{"limiter", l.name}}, l.rate_limited);

    if (s.log.enabled) {
        e.family("icmpgate_log_lines_written_total", "counter", "Verdict log lines written.");
        e.sample("icmpgate_log_lines_written_total", {}, s.log.written);
        e.family("icmpgate_log_lines_dropped_total", "counter", "Verdict log lines lost, by reason.");
        for (const log::LineLoss loss : log::kLineLosses)
            e.sample("icmpgate_log_lines_dropped_total", {{"reason", std::string{log::line_loss_name(loss)}}},
                     lines_lost(s.log, loss));
        e.family("icmpgate_log_lines_suppressed_total", "counter",
                 "Verdict log lines not written by flood suppression (summarised in the log).");
        e.sample("icmpgate_log_lines_suppressed_total", {}, s.log.suppressed);
        e.family("icmpgate_log_write_errors_total", "counter", "Failed writes to the verdict log.");
        e.sample("icmpgate_log_write_errors_total", {}, s.log.write_errors);
        e.family("icmpgate_log_reopens_total", "counter", "Times the verdict log was reopened (SIGUSR1, SIGHUP).");
        e.sample("icmpgate_log_reopens_total", {}, s.log.reopens);
    }

    if (s.capture) {  // --capture: the table's families, a family's rows adjacent (capture_counters.h)
        std::string_view family;
        for (const capture::CaptureCounterInfo& row : capture::kCaptureCounters) {
            if (row.metric_name != family) e.family(row.metric_name, "counter", row.metric_help);
            family = row.metric_name;
            if (row.metric_label.empty())
                e.sample(row.metric_name, {}, (*s.capture)[row.counter]);
            else
                e.sample(row.metric_name, {{"reason", std::string{row.metric_label}}}, (*s.capture)[row.counter]);
        }
    }

    e.family("icmpgate_policy_reloads_total", "counter", "Policy reloads (SIGHUP), by result.");
    e.sample("icmpgate_policy_reloads_total", {{"result", "success"}}, s.policy.reloads_succeeded);
    e.sample("icmpgate_policy_reloads_total", {{"result", "failure"}}, s.policy.reloads_failed);
    e.family("icmpgate_policy_last_reload_successful", "gauge",
             "1 if the last policy load or reload succeeded, else 0.");
    e.sample("icmpgate_policy_last_reload_successful", {}, s.policy.last_reload_successful ? 1U : 0U);
    e.family("icmpgate_policy_last_reload_success_timestamp_seconds", "gauge",
             "Time of the last successful policy load since the Unix epoch, in seconds.");
    e.sample("icmpgate_policy_last_reload_success_timestamp_seconds", {}, seconds(s.policy.last_success_unix_ns));
    e.family("icmpgate_policy_info", "gauge", "Always 1; the digest of the running policy.");
    e.sample("icmpgate_policy_info", {{"digest", s.policy.digest}}, 1);
    return e.take();
}

void write_file_atomically(const std::string& path, std::string_view text) {
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), temporary);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            throw std::system_error(error, std::generic_category(), temporary);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw std::system_error(error, std::generic_category(), temporary);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw std::system_error(error, std::generic_category(), path);
    }
}

}  // namespace icmpgate::metrics
