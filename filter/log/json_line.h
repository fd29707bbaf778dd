#pragma once
// JsonLine: one verdict record as one EVE alert line (docs/log-format.md): EVE's header, alert
// and verdict objects as Suricata's schema defines them, then icmpgate's own fields under
// "icmpgate". Written into a buffer the object owns. Formatting is noexcept and allocation-free; the caller
// writes data()/size() (the line ends in '\n') with one write(2).
//
// The buffer holds the worst-case line (the bounds below), so the line is written through a
// char pointer with no room check per value (json_text.h): that check and the writer state
// it updates were a third of a line's instructions (docs/performance.md, round 4).

#include <array>
#include <cstddef>
#include <string_view>

#include "filter/decode/ip_address.h"
#include "filter/decode/packet_meta.h"
#include "filter/log/eve_timestamp.h"
#include "filter/log/json_text.h"
#include "filter/log/verdict_record.h"

namespace icmpgate::log {

// Everything in a line except its variable-length strings (keys, punctuation, numbers,
// addresses, names from the ICMP catalogue and the fixed words), generously rounded up: the
// worst-case test (json_line_test.cc) measures about 1,500 bytes and checks it stays below.
inline constexpr std::size_t kLineFixedPartMax = 2048;

// A line's worst case: the fixed part plus every caller-supplied string at its bound with
// every byte escaped to six. The rule id appears twice (icmpgate.rule, alert.signature).
inline constexpr std::size_t kLineWorstCase =
    kLineFixedPartMax + kEscapedBytesPerInputByte * (kPcapFilenameMax + 2 * kRuleIdMax + kLimiterNameMax +
                                                     kPolicyDigestMax + 2 * decode::kInterfaceNameMax);

// Room for the worst case and for the fixed-size copies that write up to JsonKey::kCopyBytes
// past the end of the text (the next value overwrites those bytes).
inline constexpr std::size_t kJsonLineCapacity = 8192;
static_assert(kLineWorstCase + JsonKey::kCopyBytes <= kJsonLineCapacity,
              "a worst-case verdict line must fit the buffer");

class JsonLine {
public:
    // Formats the record, replacing any previous line. Always true: every line fits (the
    // bounds above, tested with a worst-case record); callers may still check it.
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
