#pragma once
// decide(): the one function that turns a decoded packet into a verdict. The contract's
// order lives here and nowhere else: decode -> anomalies -> rules -> protected -> default.
// Pure apart from the limiter state it is handed; noexcept and allocation-free.

#include "filter/decode/decoded_packet.h"
#include "filter/decode/packet_meta.h"
#include "filter/verdict/decision.h"
#include "rules/compiled_policy.h"
#include "rules/rate_limiter.h"

namespace icmpgate::verdict {

// Every anomaly that applies to the packet, whatever the policy says: the decoder's
// findings plus unknown-type, which is judged here from the catalogue (for the log).
[[nodiscard]] decode::AnomalySet applicable_anomalies(const decode::DecodedPacket& packet) noexcept;

[[nodiscard]] Decision decide(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                              const decode::PacketMeta& meta, rules::LimiterState& limiters) noexcept;

}  // namespace icmpgate::verdict
