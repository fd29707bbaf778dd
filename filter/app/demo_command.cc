#include "filter/app/demo_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "filter/app/cli.h"

namespace icmpgate::app {
namespace {

namespace fs = std::filesystem;

struct DemoFiles {
    fs::path script;   // demo.sh
    fs::path lab_dir;  // lab.sh and its helpers
    fs::path policy;   // the default policy
};

// Installed layout first (<prefix>/sbin/icmpgate -> <prefix>/share/icmpgate/...), then the
// source tree this binary was built from.
bool find_demo_files(const fs::path& exe, DemoFiles& out) {
    std::error_code ec;
    const fs::path share = exe.parent_path().parent_path() / "share" / "icmpgate";
    if (fs::exists(share / "demo" / "demo.sh", ec)) {
        out = {share / "demo" / "demo.sh", share / "demo", share / "policies" / "default.json"};
        return true;
    }
    const fs::path source{ICMPGATE_SOURCE_DIR};
    if (fs::exists(source / "deploy" / "demo" / "demo.sh", ec)) {
        out = {source / "deploy" / "demo" / "demo.sh", source / "tests" / "e2e",
               source / "deploy" / "policies" / "default.json"};
        return true;
    }
    return false;
}

}  // namespace

int run_demo(const std::string& policy_override, std::ostream& err) {
    if (geteuid() != 0) {
        err << "icmpgate demo: builds network namespaces and installs iptables rules, which needs root.\n"
               "Run it as root, e.g.: sudo icmpgate demo\n";
        return kExitNoPermission;
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    DemoFiles files;
    if (ec || !find_demo_files(exe, files)) {
        err << "icmpgate demo: cannot find the demo script (looked in "
            << (exe.parent_path().parent_path() / "share/icmpgate/demo").string() << " and " << ICMPGATE_SOURCE_DIR
            << "/deploy/demo)\n";
        return kExitInvalidInput;
    }
    const std::string policy = policy_override.empty() ? files.policy.string() : policy_override;
    const std::string script = files.script.string();
    const std::string lab = files.lab_dir.string();
    const std::string binary = exe.string();
    err.flush();
    // execv, not a shell: the arguments go to bash as they are.
    const char* argv[] = {"bash", script.c_str(), binary.c_str(), policy.c_str(), lab.c_str(), nullptr};
    execv("/bin/bash", const_cast<char* const*>(argv));
    err << "icmpgate demo: cannot run /bin/bash: " << std::strerror(errno) << "\n";
    return kExitInvalidInput;
}

}  // namespace icmpgate::app
