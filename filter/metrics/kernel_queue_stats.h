#pragma once
// Parses /proc/net/netfilter/nfnetlink_queue. Each line is one bound queue:
//   queue_number peer_portid queue_total copy_mode copy_range queue_dropped user_dropped id_sequence 1
// (net/netfilter/nfnetlink_queue.c, seq_show).

#include <optional>
#include <string_view>

#include "filter/metrics/stats_snapshot.h"

namespace icmpgate::metrics {

inline constexpr const char* kKernelQueueStatsPath = "/proc/net/netfilter/nfnetlink_queue";

// The counters of `queue` in the file's text; nullopt when no line describes that queue.
[[nodiscard]] std::optional<KernelQueueStats> parse_kernel_queue_stats(std::string_view text, std::uint16_t queue);

// Reads the file (empty text when it cannot be read, e.g. no queue bound).
[[nodiscard]] std::string read_kernel_queue_stats_file();

}  // namespace icmpgate::metrics
