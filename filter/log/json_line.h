#pragma once
// JsonLine: one verdict record as one EVE-compatible JSON line (docs/log-format.md), written
// into a buffer the object owns. Formatting is noexcept and allocation-free; the caller
// writes data()/size() (the line ends in '\n') with one write(2).

#include <array>
#include <cstddef>
#include <string_view>

#include "filter/decode/ip_address.h"
#include "filter/decode/packet_meta.h"
#include "filter/log/eve_timestamp.h"
#include "filter/log/json_writer.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::log {

// Everything in a line except its variable-length strings (keys, punctuation, numbers,
// addresses, names from the ICMP catalogue and the fixed words), generously rounded up.
inline constexpr std::size_t kLineFixedPartMax = 2048;

// A line's worst case: the fixed part plus every caller-supplied string at its bound with
// every byte escaped to six. The rule id appears twice (rule, alert.signature).
inline constexpr std::size_t kLineWorstCase =
    kLineFixedPartMax + kEscapedBytesPerInputByte * (kPcapFilenameMax + 2 * kRuleIdMax + kLimiterNameMax +
                                                     kPolicyDigestMax + 2 * decode::kInterfaceNameMax);

inline constexpr std::size_t kJsonLineCapacity = 8192;
static_assert(kLineWorstCase <= kJsonLineCapacity, "a worst-case verdict line must fit the buffer");

class JsonLine {
public:
    // Formats the record, replacing any previous line. Returns false only if the line did
    // not fit, which the bounds above rule out (tested with a worst-case record).
    bool format(const VerdictRecord& record) noexcept;

    // The line including its final '\n'.
    [[nodiscard]] std::string_view line() const noexcept { return {buffer_.data(), size_}; }
    [[nodiscard]] const char* data() const noexcept { return buffer_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::array<char, kJsonLineCapacity> buffer_{};
    std::size_t size_{0};
    EveTimestampCache timestamps_;
};

}  // namespace icmpgate::log
