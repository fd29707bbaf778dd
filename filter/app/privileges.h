#pragma once
// After the daemon has bound its queues and opened its log it needs one privilege only:
// CAP_NET_ADMIN, to keep configuring its NFQUEUE sockets. drop_privileges() gives up every
// other capability (effective, permitted, inheritable and, when allowed, the bounding set)
// and, given a user, switches to that user's uid, gid and groups keeping CAP_NET_ADMIN
// (libcap-ng capng_change_id). Capabilities are per thread: call it before starting the
// threads that should run with the reduced set. Cold path; throws std::runtime_error.

#include <string>

namespace icmpgate::app {

// What the process keeps: CAP_NET_ADMIN (`run`: its queues are configured all along) or nothing
// (`watch`: its packet socket is open and needs no capability afterwards).
enum class KeptCapability : unsigned char { net_admin, none };

// Returns what the process runs with afterwards, for the log: "capabilities net_admin,
// uid 65534 (nobody), gid 65534".
std::string drop_privileges(const std::string& user, KeptCapability keep = KeptCapability::net_admin);

}  // namespace icmpgate::app
