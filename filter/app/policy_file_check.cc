#include "filter/app/policy_file_check.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <string>
#include <utility>

#include "filter/app/user_description.h"

namespace icmpgate::app {
namespace {

constexpr uid_t kRootUid = 0;
constexpr mode_t kPermissionBits = 07777;
constexpr std::size_t kReadChunk = 65536;

std::string octal_mode(mode_t mode) {
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "%04o", static_cast<unsigned>(mode & kPermissionBits));
    return text.data();
}

rules::LoadResult refused(rules::Diagnostic diagnostic) {
    rules::LoadResult result;
    result.diagnostics.push_back(std::move(diagnostic));
    return result;
}

}  // namespace

std::optional<rules::Diagnostic> policy_file_problem(const std::string& path, uid_t owner, mode_t mode,
                                                     uid_t running_uid) {
    const bool trusted_owner = owner == kRootUid || owner == running_uid;
    const bool others_can_write = (mode & (S_IWGRP | S_IWOTH)) != 0;
    if (trusted_owner && !others_can_write) return std::nullopt;
    rules::Diagnostic d;
    d.file = path;
    std::string why;
    if (others_can_write) why = (mode & S_IWOTH) != 0 ? "others can write it" : "its group can write it";
    if (!trusted_owner) {
        if (!why.empty()) why += ", and ";
        why += "its owner is neither root nor the user icmpgate runs as (" + describe_user(running_uid) + ")";
    }
    d.message = "refusing an insecure policy file (mode " + octal_mode(mode) + ", owner " + describe_user(owner) +
                "): " + why + "; make it owned by root and not writable by group or others (chown root " + path +
                "; chmod go-w " + path + "), or pass --allow-insecure-policy";
    return d;
}

std::optional<rules::Diagnostic> check_policy_file(const std::string& path, uid_t running_uid) {
    struct stat facts {};
    if (stat(path.c_str(), &facts) != 0) return std::nullopt;
    return policy_file_problem(path, facts.st_uid, facts.st_mode, running_uid);
}

rules::LoadResult load_trusted_policy(const std::string& path, bool allow_insecure, uid_t running_uid) {
    if (allow_insecure) return rules::load_policy_file(path);
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return rules::load_policy_file(path);  // the loader says why it cannot be read
    struct stat facts {};
    if (fstat(fd, &facts) != 0 || !S_ISREG(facts.st_mode)) {
        close(fd);
        return rules::load_policy_file(path);  // a directory, a FIFO ...: the loader's message
    }
    if (auto problem = policy_file_problem(path, facts.st_uid, facts.st_mode, running_uid)) {
        close(fd);
        return refused(std::move(*problem));
    }
    std::string text;
    std::array<char, kReadChunk> buffer{};
    for (;;) {
        const ssize_t n = read(fd, buffer.data(), buffer.size());
        if (n > 0) {
            text.append(buffer.data(), static_cast<std::size_t>(n));
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            close(fd);
            return rules::load_policy_file(path);
        }
    }
    close(fd);
    return rules::load_policy_text(text, path);
}

}  // namespace icmpgate::app
