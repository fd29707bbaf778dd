#pragma once
// "uid 1000 (alice)", or "uid 1000" when the user database does not know the uid: how
// operational messages name a user (policy file owner, the user the daemon runs as).

#include <sys/types.h>

#include <string>

namespace icmpgate::app {

[[nodiscard]] std::string describe_user(uid_t uid);

}  // namespace icmpgate::app
