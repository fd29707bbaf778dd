#include "filter/log/json_line.h"

namespace icmpgate::log {

bool JsonLine::format(const VerdictRecord& record) noexcept {
    line_.write([&](Out<0> out) { return write_verdict_line(out, record, timestamps_); });
    return true;
}

}  // namespace icmpgate::log
