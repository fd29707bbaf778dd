#include "filter/app/user_description.h"

#include <pwd.h>

#include <array>

namespace icmpgate::app {

std::string describe_user(uid_t uid) {
    constexpr std::size_t kPasswdBuffer = 16384;  // getpwuid_r's string space; glibc suggests sysconf's 1024+
    std::string text = "uid " + std::to_string(uid);
    passwd entry{};
    passwd* found = nullptr;
    std::array<char, kPasswdBuffer> buffer{};
    if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr)
        text += std::string{" ("} + found->pw_name + ")";
    return text;
}

}  // namespace icmpgate::app
