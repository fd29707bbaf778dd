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

[[nodiscard]] Decision decide(const rules::CompiledPolicy& policy, const decode::DecodedPacket& packet,
                              const decode::PacketMeta& meta, rules::LimiterState& limiters) noexcept;

}  // namespace icmpgate::verdict
