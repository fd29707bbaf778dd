#include "filter/metrics/kernel_queue_stats.h"

#include <fstream>
#include <sstream>
#include <string>

namespace icmpgate::metrics {

std::optional<KernelQueueStats> parse_kernel_queue_stats(std::string_view text, std::uint16_t queue) {
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        unsigned long number = 0;
        unsigned long peer = 0;
        std::uint64_t waiting = 0;
        unsigned long mode = 0;
        unsigned long range = 0;
        std::uint64_t queue_dropped = 0;
        std::uint64_t user_dropped = 0;
        if (fields >> number >> peer >> waiting >> mode >> range >> queue_dropped >> user_dropped && number == queue)
            return KernelQueueStats{
                .queue = queue, .waiting = waiting, .queue_dropped = queue_dropped, .user_dropped = user_dropped};
    }
    return std::nullopt;
}

std::string read_kernel_queue_stats_file() {
    std::ifstream in(kKernelQueueStatsPath);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace icmpgate::metrics
