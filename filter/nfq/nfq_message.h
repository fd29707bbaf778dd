#pragma once
// Netlink message from the kernel's queue -> NfqPacket. Every attribute's presence and
// size is checked before use (libdaq does this; the upstream example does not). Only the
// attributes icmpgate uses are picked out, in one bounds-checked walk (no per-attribute
// callback: this runs for every packet).

#include <linux/netlink.h>

#include "filter/nfq/nfq_packet.h"

namespace icmpgate::nfq {

struct ParsedMessage {
    ParseError error{ParseError::none};
    NfqPacket packet;
};

[[nodiscard]] ParsedMessage parse_packet_message(const nlmsghdr* message) noexcept;

}  // namespace icmpgate::nfq
