#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace icmpgate::app {

enum class ReplayFormat : unsigned char { json, table };

struct ReplayOptions {
    std::string policy_path;
    std::string capture_path;
    ReplayFormat format{ReplayFormat::json};
    std::optional<std::uint16_t> community_id_seed;  // --community-id: the seed; unset = no field
};

// `icmpgate replay --policy POLICY [--format json|table] [--community-id [--community-id-seed N]] CAPTURE`.
// json: verdict records only on `out`, a summary on `err`. table: an aligned table and a
// totals block on `out`. Exit 1 for an invalid policy or an unreadable, unsupported or
// damaged capture (records written before the damage stay written).
[[nodiscard]] int run_replay(const ReplayOptions& options, std::ostream& out, std::ostream& err);

}  // namespace icmpgate::app
