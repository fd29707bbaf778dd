#include "filter/app/privileges.h"

#include <cap-ng.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "filter/app/user_description.h"

namespace icmpgate::app {
namespace {

constexpr std::size_t kPasswdBuffer = 16384;
constexpr uid_t kRootUid = 0;

struct FreeText {
    void operator()(char* text) const noexcept { std::free(text); }
};

std::string kept_capabilities() {
    capng_get_caps_process();
    if (capng_have_capabilities(CAPNG_SELECT_CAPS) == CAPNG_NONE) return "none";
    const std::unique_ptr<char, FreeText> text{capng_print_caps_text(CAPNG_PRINT_BUFFER, CAPNG_PERMITTED)};
    return text ? text.get() : "?";
}

std::string running_with() {
    return "capabilities " + kept_capabilities() + ", " + describe_user(getuid()) + ", gid " + std::to_string(getgid());
}

// True when the process holds (effective, permitted or inheritable) any capability but the one
// it keeps. Under the systemd unit it holds none: capset(2) is then not called at all, which
// matters because the unit's SystemCallFilter=~@privileged forbids it.
bool holds_more_than(KeptCapability keep) {
    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
        if (keep == KeptCapability::net_admin && cap == CAP_NET_ADMIN) continue;
        for (const capng_type_t set : {CAPNG_EFFECTIVE, CAPNG_PERMITTED, CAPNG_INHERITABLE})
            if (capng_have_capability(set, static_cast<unsigned>(cap)) != 0) return true;
    }
    return false;
}

}  // namespace

std::string drop_privileges(const std::string& user, KeptCapability keep) {
    capng_get_caps_process();
    if (user.empty() && !holds_more_than(keep)) return running_with();
    const bool had_net_admin =
        keep == KeptCapability::net_admin && capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN) != 0;
    // Clearing the bounding set needs CAP_SETPCAP (systemd's unit has already narrowed it).
    const bool can_bound = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) != 0;
    capng_clear(CAPNG_SELECT_BOTH);
    if (had_net_admin) {
        if (capng_update(CAPNG_ADD, static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED), CAP_NET_ADMIN) != 0)
            throw std::runtime_error("cannot keep CAP_NET_ADMIN (libcap-ng)");
        if (can_bound && capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET, CAP_NET_ADMIN) != 0)
            throw std::runtime_error("cannot keep CAP_NET_ADMIN in the bounding set (libcap-ng)");
    }
    if (!user.empty()) {
        if (geteuid() != kRootUid) throw std::runtime_error("--user " + user + " needs root to switch user");
        passwd entry{};
        passwd* found = nullptr;
        std::array<char, kPasswdBuffer> buffer{};
        if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr)
            throw std::runtime_error("--user " + user + ": no such user");
        // The bounding set first (capng_change_id's CAPNG_CLEAR_BOUNDING would empty it,
        // CAP_NET_ADMIN included), then the uid change keeping the listed capabilities (the
        // other threads, started earlier, lose all of theirs with it) without supplementary groups.
        if (can_bound && capng_apply(CAPNG_SELECT_BOUNDS) != 0)
            throw std::runtime_error("cannot narrow the capability bounding set (libcap-ng capng_apply)");
        if (const int rc =
                capng_change_id(static_cast<int>(found->pw_uid), static_cast<int>(found->pw_gid), CAPNG_DROP_SUPP_GRP);
            rc != 0)
            throw std::runtime_error("--user " + user + ": cannot switch user (libcap-ng capng_change_id " +
                                     std::to_string(rc) + ")");
    } else if (capng_apply(can_bound ? CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS) != 0) {
        throw std::runtime_error("cannot drop capabilities (libcap-ng capng_apply)");
    }
    return running_with();
}

}  // namespace icmpgate::app
