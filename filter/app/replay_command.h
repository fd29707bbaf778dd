#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "filter/log/ip_text.h"

namespace icmpgate::app {

enum class ReplayFormat : unsigned char { json, table };

struct ReplayOptions {
    std::string policy_path;
    // --compare OLD: decide every frame with this policy too and report the differences
    // (compare_command.h); empty: a plain replay.
    std::string compare_policy_path;
    std::string capture_path;
    ReplayFormat format{ReplayFormat::json};
    std::optional<std::uint16_t> community_id_seed;   // --community-id: the seed; unset = no field
    log::Ipv6Text ipv6_text{log::Ipv6Text::rfc5952};  // --expand-ipv6: Suricata's expanded form
    // --log-rate: the daemon's suppression over capture time (json only); 0 = every line (the default).
    std::uint32_t log_lines_per_second{0};
    bool monitor{false};  // --monitor: as run --monitor (every frame accepted, the policy's decision the would-be)
};

// `icmpgate replay --policy POLICY [--format json|table] [--community-id [--community-id-seed N]]
// [--expand-ipv6] [--log-rate N] CAPTURE`.
// json: verdict records only on `out`, a summary on `err`. table: an aligned table and a
// totals block on `out`. Exit 1 for an invalid policy or an unreadable, unsupported or
// damaged capture (records written before the damage stay written).
[[nodiscard]] int run_replay(const ReplayOptions& options, std::ostream& out, std::ostream& err);

}  // namespace icmpgate::app
