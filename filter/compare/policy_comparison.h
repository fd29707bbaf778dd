#pragma once
// Two policies over the same packets (`icmpgate replay --policy NEW --compare OLD`): the pipeline
// decides each packet with the new policy; ComparisonSink, one of its sinks, decides the same
// decoded packet again with the old policy and reports every packet whose verdict, reason or
// deciding rule differs. One decode per packet; each policy has its own limiter state, run on the
// packets' clock (capture time), so a rate limit is judged as each policy alone would have judged
// this traffic (docs/operations.md, "Compare").
//
// Cold path (a command-line tool): a difference owns its text, and the tallies grow with the
// kinds of change seen (at most one entry per pair of rules or reasons), not with the packets.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "filter/decode/decoded_packet.h"
#include "filter/pipeline/packet_sink.h"
#include "filter/pipeline/verdict_counters.h"
#include "filter/verdict/decision.h"
#include "rules/compiled_policy.h"
#include "rules/rate_limiter.h"

namespace icmpgate::compare {

// What one policy did with a packet, in the log's words.
struct Outcome {
    rules::Verdict verdict{rules::Verdict::accept};
    std::string reason;                  // icmpgate.reason: "rule", "rate-limit", "anomaly:truncated", ...
    std::optional<std::string> rule;     // the deciding rule's id (rule, rate-limit)
    std::optional<std::string> limiter;  // the limiter that had no token (rate-limit); shown, not compared
    std::string decided_by;  // alert.signature: the rule id, "rate-limit:<id>", "anomaly:<name>", "default", ...

    // Verdict, reason or rule: what an admin changing a policy is asked to approve.
    [[nodiscard]] bool differs_from(const Outcome& other) const noexcept {
        return verdict != other.verdict || reason != other.reason || rule != other.rule;
    }
};

// The outcome of `decision`, made with `policy`, for `event`'s packet.
[[nodiscard]] Outcome outcome_of(const pipeline::PacketEvent& event, const verdict::Decision& decision,
                                 const rules::CompiledPolicy& policy);

// One packet both policies judged differently.
struct Difference {
    std::uint64_t frame{0};        // the capture's frame number (pcap_cnt); 0 when not from a capture
    std::int64_t time_ns{0};       // the packet's clock (capture time)
    decode::DecodedPacket packet;  // its fields, for the report
    Outcome old_outcome;
    Outcome new_outcome;
};

// Where differences go as they are found (the JSON lines, the table).
class DifferenceSink {
public:
    virtual ~DifferenceSink() = default;
    virtual void write(const Difference& difference) = 0;

protected:
    DifferenceSink() = default;
    DifferenceSink(const DifferenceSink&) = default;
    DifferenceSink& operator=(const DifferenceSink&) = default;
};

// A count of differing packets for one change: old -> new.
template <typename Key>
struct Change {
    Key old_side;
    Key new_side;
    std::uint64_t packets{0};
};

struct ComparisonTally {
    std::uint64_t packets{0};    // every packet compared
    std::uint64_t differing{0};  // those whose outcomes differ
    // Differing packets by old verdict x new verdict (pipeline::verdict_index). A packet can differ
    // with the same verdict on both sides (another rule or reason).
    std::array<std::array<std::uint64_t, pipeline::kVerdictCount>, pipeline::kVerdictCount> by_verdict{};

    // Differing packets by what decided them (Outcome::decided_by), old -> new: most packets first,
    // then in the order first seen.
    [[nodiscard]] std::vector<Change<std::string>> by_decider() const;
    // by_verdict as a list, most packets first (accept before drop on ties), pairs with none left out.
    [[nodiscard]] std::vector<Change<rules::Verdict>> by_verdict_changes() const;

    void add(const Difference& difference);

private:
    struct DeciderCount {
        std::uint64_t packets{0};
        std::size_t first_seen{0};
    };
    std::map<std::pair<std::string, std::string>, DeciderCount> deciders_;
};

class ComparisonSink final : public pipeline::PacketSink {
public:
    // `old_policy` must outlive the sink. Its limiters start full, with replay's hash seed.
    ComparisonSink(const rules::CompiledPolicy& old_policy, DifferenceSink& differences);

    void on_packet(const pipeline::PacketEvent& event) override;

    [[nodiscard]] const ComparisonTally& tally() const noexcept { return tally_; }

private:
    const rules::CompiledPolicy& old_policy_;
    rules::LimiterState old_limiters_;
    DifferenceSink& differences_;
    ComparisonTally tally_;
};

}  // namespace icmpgate::compare
