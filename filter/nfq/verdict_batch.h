#pragma once
// Serialises a receive batch's verdicts into netlink messages, fewest first: a run of
// equal verdicts on increasing packet ids becomes one NFQNL_MSG_VERDICT_BATCH for the
// run's last id (the kernel applies it to every pending id up to that one, all of which
// are in the run or were given a verdict by an earlier message in the same buffer);
// a run of one is a plain NFQNL_MSG_VERDICT. Pure: writes into the caller's buffer.

#include <cstddef>
#include <cstdint>
#include <span>

namespace icmpgate::nfq {

enum class Verdict : std::uint8_t { accept, drop };

struct PendingVerdict {
    std::uint32_t id;
    Verdict verdict;
};

// Bytes one verdict message can take (netlink header, nfgenmsg, verdict attribute).
inline constexpr std::size_t kVerdictMessageMax = 64;

// Returns the bytes written; `out` must hold kVerdictMessageMax per verdict.
[[nodiscard]] std::size_t serialize_verdicts(std::span<const PendingVerdict> verdicts, std::uint16_t queue,
                                             std::span<char> out) noexcept;

}  // namespace icmpgate::nfq
