// The daemon's policy file check: owner root or the running user, no group/other write;
// the refusal names the file, its mode and its owner; load_trusted_policy() refuses the
// file, or loads it, from the descriptor it checked.
#include "filter/app/policy_file_check.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using icmpgate::app::check_policy_file;
using icmpgate::app::load_trusted_policy;
using icmpgate::app::policy_file_problem;

constexpr uid_t kRoot = 0;
constexpr uid_t kAlice = 1000;
constexpr uid_t kNobody = 65534;
constexpr const char* kMinimalPolicy = R"({"version": 1})";

// A policy file in a fresh temporary directory, removed afterwards.
struct TempPolicy {
    TempPolicy() {
        std::string pattern = (fs::temp_directory_path() / "icmpgate-policy-check.XXXXXX").string();
        dir = mkdtemp(pattern.data());
        path = dir / "policy.json";
        std::ofstream{path} << kMinimalPolicy;
        chmod(path.c_str(), 0644);
    }
    ~TempPolicy() { fs::remove_all(dir); }
    TempPolicy(const TempPolicy&) = delete;
    TempPolicy& operator=(const TempPolicy&) = delete;
    fs::path dir;
    fs::path path;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_file_check)

BOOST_AUTO_TEST_CASE(root_owned_file_not_writable_by_others_is_trusted) {
    BOOST_TEST(!policy_file_problem("/etc/icmpgate/policy.json", kRoot, S_IFREG | 0644, kNobody).has_value());
    BOOST_TEST(!policy_file_problem("/etc/icmpgate/policy.json", kRoot, S_IFREG | 0600, kNobody).has_value());
}

BOOST_AUTO_TEST_CASE(file_owned_by_the_running_user_is_trusted) {
    BOOST_TEST(!policy_file_problem("/p.json", kNobody, S_IFREG | 0640, kNobody).has_value());
}

BOOST_AUTO_TEST_CASE(group_writable_file_is_refused_with_mode_owner_and_remedy) {
    const auto problem = policy_file_problem("/etc/icmpgate/policy.json", kRoot, S_IFREG | 0664, kRoot);
    BOOST_TEST_REQUIRE(problem.has_value());
    BOOST_TEST(problem->file == "/etc/icmpgate/policy.json");
    BOOST_TEST((problem->severity == icmpgate::rules::Diagnostic::Severity::error));
    BOOST_TEST(problem->message ==
               "refusing an insecure policy file (mode 0664, owner uid 0 (root)): its group can write it; make it "
               "owned by root and not writable by group or others (chown root /etc/icmpgate/policy.json; chmod go-w "
               "/etc/icmpgate/policy.json), or pass --allow-insecure-policy");
}

BOOST_AUTO_TEST_CASE(world_writable_file_is_refused_naming_others) {
    const auto problem = policy_file_problem("/p.json", kRoot, S_IFREG | 0646, kRoot);
    BOOST_TEST_REQUIRE(problem.has_value());
    BOOST_TEST(
        problem->message.starts_with("refusing an insecure policy file (mode 0646, owner uid 0 (root)): "
                                     "others can write it;"));
}

BOOST_AUTO_TEST_CASE(file_of_another_user_is_refused_naming_both_users) {
    const auto problem = policy_file_problem("/p.json", kAlice, S_IFREG | 0644, kNobody);
    BOOST_TEST_REQUIRE(problem.has_value());
    BOOST_TEST(problem->message.find("(mode 0644, owner uid 1000") != std::string::npos);
    BOOST_TEST(problem->message.find("its owner is neither root nor the user icmpgate runs as (uid 65534") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(both_faults_are_named_together) {
    const auto problem = policy_file_problem("/p.json", kAlice, S_IFREG | 0666, kRoot);
    BOOST_TEST_REQUIRE(problem.has_value());
    BOOST_TEST(problem->message.find("others can write it, and its owner is neither root") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(check_reads_the_real_mode_of_a_file) {
    const TempPolicy policy;
    BOOST_TEST(!check_policy_file(policy.path, geteuid()).has_value());
    chmod(policy.path.c_str(), 0666);
    const auto problem = check_policy_file(policy.path, geteuid());
    BOOST_TEST_REQUIRE(problem.has_value());
    BOOST_TEST(problem->message.find("(mode 0666") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(check_leaves_a_missing_file_to_the_loader) {
    BOOST_TEST(!check_policy_file("/nonexistent/icmpgate/policy.json", geteuid()).has_value());
}

BOOST_AUTO_TEST_CASE(trusted_file_loads) {
    const TempPolicy policy;
    const icmpgate::rules::LoadResult result = load_trusted_policy(policy.path, false, geteuid());
    BOOST_TEST(result.ok());
    BOOST_TEST(result.diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(insecure_file_is_refused_with_exactly_one_error) {
    const TempPolicy policy;
    chmod(policy.path.c_str(), 0664);
    const icmpgate::rules::LoadResult result = load_trusted_policy(policy.path, false, geteuid());
    BOOST_TEST(!result.ok());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].message.starts_with("refusing an insecure policy file (mode 0664"));
}

BOOST_AUTO_TEST_CASE(insecure_file_loads_when_allowed) {
    const TempPolicy policy;
    chmod(policy.path.c_str(), 0666);
    BOOST_TEST(load_trusted_policy(policy.path, true, geteuid()).ok());
}

BOOST_AUTO_TEST_CASE(file_of_another_user_is_refused_by_the_loader) {
    // Owned by the test's user, checked as if the daemon ran as someone else (not root).
    const TempPolicy policy;
    const uid_t other = geteuid() == kNobody ? kAlice : kNobody;
    if (geteuid() == kRoot) BOOST_TEST_REQUIRE(chown(policy.path.c_str(), kAlice, static_cast<gid_t>(-1)) == 0);
    const icmpgate::rules::LoadResult result = load_trusted_policy(policy.path, false, other);
    BOOST_TEST(!result.ok());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].message.find("its owner is neither root nor the user icmpgate runs as") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(directory_gets_the_loaders_message) {
    const TempPolicy policy;
    const icmpgate::rules::LoadResult result = load_trusted_policy(policy.dir, false, geteuid());
    BOOST_TEST(!result.ok());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].message == "cannot read: Is a directory");
}

BOOST_AUTO_TEST_CASE(missing_file_gets_the_loaders_message) {
    const icmpgate::rules::LoadResult result = load_trusted_policy("/nonexistent/p.json", false, geteuid());
    BOOST_TEST_REQUIRE(result.diagnostics.size() == 1U);
    BOOST_TEST(result.diagnostics[0].message == "cannot read: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()
