#pragma once
// The daemon acts on whatever its policy file says (one rule can accept every packet), so
// the file must be changeable only by those who could change the daemon anyway: it must be
// owned by root or by the user the daemon runs as, and not writable by group or others.
// `icmpgate run --allow-insecure-policy` skips the check (tests, unusual set-ups).

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>

#include "rules/policy_loader.h"

namespace icmpgate::app {

// The fault of a file with this owner and mode, or nullopt when it may be trusted.
[[nodiscard]] std::optional<rules::Diagnostic> policy_file_problem(const std::string& path, uid_t owner, mode_t mode,
                                                                   uid_t running_uid);

// The fault of the file at `path` (stat(2), following symbolic links), or nullopt when it may
// be trusted or cannot be examined (the loader then reports why it cannot be read).
[[nodiscard]] std::optional<rules::Diagnostic> check_policy_file(const std::string& path, uid_t running_uid);

// Loads the policy for the daemon: refused with one error diagnostic when the file fails
// the check (unless allow_insecure). The check is made on the descriptor the policy is read
// from, so the file cannot be swapped between the check and the read.
[[nodiscard]] rules::LoadResult load_trusted_policy(const std::string& path, bool allow_insecure, uid_t running_uid);

}  // namespace icmpgate::app
