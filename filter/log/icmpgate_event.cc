#include "filter/log/icmpgate_event.h"

#include <cstring>

namespace icmpgate::log {

std::size_t format_log_gap(std::int64_t wall_ns, std::uint64_t lines, LineLoss why, std::span<char> out) noexcept {
    FixedLine<kLogGapLineMax> line;
    line.write([&](Out<0> start) { return write_log_gap(start, wall_ns, lines, why); });
    if (line.size() > out.size()) return 0;
    std::memcpy(out.data(), line.data(), line.size());
    return line.size();
}

}  // namespace icmpgate::log
