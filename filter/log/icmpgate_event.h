#pragma once
// What every line of the log shares beyond EVE's header (docs/log-format.md): the log format
// version, which every line carries as icmpgate.log_version, and icmpgate's own events
// (event_type "icmpgate", their content under the top-level "icmpgate" object): log_gap
// (lines lost) and log_suppressed (lines thinned by --log-rate).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "filter/log/json_writer.h"

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

// Writes {"timestamp":"...","event_type":"icmpgate","icmpgate":{"log_version":2,"event":"<event>"
// and leaves both objects open: the caller writes the event's members, then end_object() twice.
void begin_icmpgate_event(JsonWriter& w, std::int64_t wall_ns, IcmpgateEvent event) noexcept;

// Writes "icmpgate":{"log_version":2} (a member of the line's object): how a line whose own
// content lives elsewhere (the stats event) carries the version.
void put_log_version_member(JsonWriter& w) noexcept;

// A log_gap event: `lines` verdict lines were lost for `why`, as of `wall_ns`. Returns its
// length in `out` (no newline), 0 if it does not fit.
std::size_t format_log_gap(std::int64_t wall_ns, std::uint64_t lines, LineLoss why, std::span<char> out) noexcept;

}  // namespace icmpgate::log
