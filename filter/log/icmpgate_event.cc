#include "filter/log/icmpgate_event.h"

#include "filter/log/eve_timestamp.h"

namespace icmpgate::log {
namespace {

// Written with plain_string_value (no escape scan): they must need no escaping.
constexpr bool is_plain(std::string_view text) noexcept {
    for (const char c : text)
        if (!is_plain_json_byte(c)) return false;
    return true;
}
static_assert(is_plain(kIcmpgateEventType) && is_plain(icmpgate_event_name(IcmpgateEvent::log_gap)) &&
              is_plain(icmpgate_event_name(IcmpgateEvent::log_suppressed)) &&
              is_plain(line_loss_name(LineLoss::queue_full)) && is_plain(line_loss_name(LineLoss::too_long)) &&
              is_plain(line_loss_name(LineLoss::write_error)));

}  // namespace

void begin_icmpgate_event(JsonWriter& w, std::int64_t wall_ns, IcmpgateEvent event) noexcept {
    std::array<char, kEveTimestampLength> stamp{};
    format_eve_timestamp(wall_ns, stamp);
    w.begin_object();
    w.key<"timestamp">();
    w.raw_string_value({stamp.data(), stamp.size()});
    w.key<"event_type">();
    w.plain_string_value(kIcmpgateEventType);
    w.key<"icmpgate">();
    w.begin_object();
    w.key<"log_version">();
    w.unsigned_value(kLogVersion);
    w.key<"event">();
    w.plain_string_value(icmpgate_event_name(event));
}

void put_log_version_member(JsonWriter& w) noexcept {
    w.key<"icmpgate">();
    w.begin_object();
    w.key<"log_version">();
    w.unsigned_value(kLogVersion);
    w.end_object();
}

std::size_t format_log_gap(std::int64_t wall_ns, std::uint64_t lines, LineLoss why, std::span<char> out) noexcept {
    JsonWriter w{out};
    begin_icmpgate_event(w, wall_ns, IcmpgateEvent::log_gap);
    w.key<"lines_dropped">();
    w.unsigned_value(lines);
    w.key<"reason">();
    w.plain_string_value(line_loss_name(why));
    w.end_object();
    w.end_object();
    return w.overflowed() ? 0 : w.size();
}

}  // namespace icmpgate::log
