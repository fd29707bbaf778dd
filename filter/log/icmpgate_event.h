#pragma once
// What every line of the log shares beyond EVE's header (docs/log-format.md): the log format
// version, which every line carries as icmpgate.log_version, and icmpgate's own events
// (event_type "icmpgate", their content under the top-level "icmpgate" object): log_gap
// (lines lost) and log_suppressed (lines thinned by --log-rate). Written with the line writer
// (line_writer.h): each event's longest line is worked out from the code that writes it.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "filter/log/eve_timestamp.h"
#include "filter/log/fixed_words.h"
#include "filter/log/line_writer.h"
#include "filter/log/verdict_record.h"
#include "filter/verdict/decision.h"

namespace icmpgate::log {

// 1 was the layout before the "icmpgate" namespace (verdict, reason, rule at the top level);
// 2 is the layout of docs/log-format.md.
inline constexpr unsigned kLogVersion = 2;
inline constexpr std::string_view kIcmpgateEventType = "icmpgate";

// Why verdict lines were lost: the spelling of log_gap's "reason" and of the Prometheus label
// of icmpgate_log_lines_dropped_total (too-long lines get no log_gap: they are not lines).
enum class LineLoss : std::uint8_t { queue_full, too_long, write_error };
[[nodiscard]] constexpr std::string_view line_loss_name(LineLoss loss) noexcept {
    switch (loss) {
        case LineLoss::queue_full:
            return "queue-full";
        case LineLoss::too_long:
            return "too-long";
        case LineLoss::write_error:
            return "write-error";
    }
    return "?";
}
inline constexpr std::array<LineLoss, 3> kLineLosses{LineLoss::queue_full, LineLoss::too_long, LineLoss::write_error};

// icmpgate's own events, named in icmpgate.event.
enum class IcmpgateEvent : std::uint8_t { log_gap, log_suppressed };
[[nodiscard]] constexpr std::string_view icmpgate_event_name(IcmpgateEvent event) noexcept {
    return event == IcmpgateEvent::log_gap ? "log_gap" : "log_suppressed";
}

namespace event_line {

inline constexpr std::size_t kLineLossNameMax = [] {
    std::size_t longest = 0;
    for (const LineLoss loss : kLineLosses) longest = std::max(longest, line_loss_name(loss).size());
    return longest;
}();
inline constexpr std::size_t kEventNameMax = std::max(icmpgate_event_name(IcmpgateEvent::log_gap).size(),
                                                      icmpgate_event_name(IcmpgateEvent::log_suppressed).size());
static_assert(words::is_plain_word(kIcmpgateEventType) &&
                  words::is_plain_word(icmpgate_event_name(IcmpgateEvent::log_gap)) &&
                  words::is_plain_word(icmpgate_event_name(IcmpgateEvent::log_suppressed)) &&
                  std::all_of(kLineLosses.begin(), kLineLosses.end(),
                              [](LineLoss loss) { return words::is_plain_word(line_loss_name(loss)); }),
              "event words are written without an escape scan");
static_assert(kLogVersion == 2, "the texts below spell the log format version");

// EVE's timestamp of `wall_ns` as a string, formatted afresh (the events are rare).
template <std::size_t N>
Out<N + kEveTimestampLength + 2> put_timestamp_of(Out<N> out, std::int64_t wall_ns) noexcept {
    char* at = out.at;
    *at++ = '"';
    format_eve_timestamp(wall_ns, std::span<char, kEveTimestampLength>{at, kEveTimestampLength});
    at += kEveTimestampLength;
    *at++ = '"';
    return {at};
}

// {"timestamp":"...","event_type":"icmpgate","icmpgate":{"log_version":2,"event":"<event>",
// leaving both objects open for the event's members.
template <std::size_t N>
auto put_event_start(Out<N> out, std::int64_t wall_ns, IcmpgateEvent event) noexcept {
    const auto time = put_timestamp_of(put_first_key<"timestamp">(put_char<'{'>(out)), wall_ns);
    const auto head = put_literal<R"(,"event_type":"icmpgate","icmpgate":{"log_version":2,"event":)">(time);
    return put_word<kEventNameMax>(head, icmpgate_event_name(event));
}

}  // namespace event_line

// "icmpgate":{"log_version":2} (a member of the line's object, after a first member): how a
// line whose own content lives elsewhere (the stats event) carries the version.
template <std::size_t N>
auto put_log_version_member(Out<N> out) noexcept {
    static_assert(kLogVersion == 2, "the text spells the log format version");
    return put_literal<R"(,"icmpgate":{"log_version":2})">(out);
}

// A log_gap event: `lines` verdict lines were lost for `why`, as of `wall_ns` (no newline).
template <std::size_t N>
auto write_log_gap(Out<N> out, std::int64_t wall_ns, std::uint64_t lines, LineLoss why) noexcept {
    const auto start = event_line::put_event_start(out, wall_ns, IcmpgateEvent::log_gap);
    const auto count = put_number<"lines_dropped">(start, lines);
    return put_literal<"}}">(put_word<event_line::kLineLossNameMax>(put_key<"reason">(count), line_loss_name(why)));
}

// A log_suppressed event: `lines` verdict lines of a rule (`rule_id`, "" when no rule decided
// them; escaped, cut at kRuleIdMax) and a decision's reason were suppressed in the window that
// ended (no newline).
template <std::size_t N>
auto write_log_suppressed(Out<N> out, std::int64_t wall_ns, std::string_view rule_id, const verdict::Decision& reason,
                          std::uint64_t lines) noexcept {
    const auto start = event_line::put_event_start(out, wall_ns, IcmpgateEvent::log_suppressed);
    const auto rule = either(
        rule_id.empty(), put_key<"rule">(start), [](auto o) { return put_literal<"null">(o); },
        [&](auto o) { return put_escaped_string<kRuleIdMax>(o, rule_id); });
    const TwoPartText text = reason_text(reason);
    const auto why = put_words<words::kReasonTextMax>(put_key<"reason">(rule), text.first, text.second);
    return put_literal<"}}">(put_number<"lines_suppressed">(why, lines));
}

inline constexpr std::size_t kLogGapLineMax =
    decltype(write_log_gap(std::declval<Out<0>>(), 0, 0, LineLoss::queue_full))::kMaxBytes;
inline constexpr std::size_t kLogSuppressedLineMax =
    decltype(write_log_suppressed(std::declval<Out<0>>(), 0, {}, {}, 0))::kMaxBytes;

// A log_gap event as above, copied into `out`; returns its length, 0 when `out` cannot hold it.
std::size_t format_log_gap(std::int64_t wall_ns, std::uint64_t lines, LineLoss why, std::span<char> out) noexcept;

}  // namespace icmpgate::log
