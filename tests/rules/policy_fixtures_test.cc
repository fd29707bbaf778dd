// The shipped policies (deploy/policies) and the fixtures in tests/data/policies:
// - deploy/policies/*.json load with no error and no warning;
// - tests/data/policies/valid/*.json load, with exactly the warnings in <name>.expected
//   (none when there is no such file);
// - tests/data/policies/invalid/*.json fail with exactly the diagnostics in <name>.expected.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rules/policy_loader.h"
#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<std::string> read_lines(const fs::path& path) {
    std::vector<std::string> lines;
    if (!fs::exists(path)) return lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

std::vector<fs::path> json_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Loaded under its file name only, so expected texts do not depend on the checkout path.
std::vector<std::string> rendered(const LoadResult& result) {
    std::vector<std::string> out;
    for (const Diagnostic& d : result.diagnostics) out.push_back(d.to_string());
    return out;
}

BOOST_AUTO_TEST_SUITE(policy_fixtures)

BOOST_AUTO_TEST_CASE(shipped_policies_load_without_errors_or_warnings) {
    const std::vector<fs::path> files = json_files(test::repository_root() / "deploy" / "policies");
    BOOST_TEST_REQUIRE(files.size() >= 2U);
    for (const fs::path& file : files) {
        BOOST_TEST_CONTEXT(file.string()) {
            const LoadResult result = load_policy_file(file.string());
            BOOST_TEST(result.ok());
            BOOST_TEST(rendered(result) == std::vector<std::string>{}, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(shipped_policies_never_override_protection) {
    for (const fs::path& file : json_files(test::repository_root() / "deploy" / "policies")) {
        const LoadResult result = load_policy_file(file.string());
        BOOST_TEST_REQUIRE(result.ok());
        for (const CompiledRule& rule : result.policy->rules)
            BOOST_TEST(!rule.override_protection, file.filename().string() << " rule " << rule.id);
    }
}

BOOST_AUTO_TEST_CASE(default_policy_limits_echo_and_blacknurse_and_drops_by_default) {
    const LoadResult result = load_policy_file((test::repository_root() / "deploy/policies/default.json").string());
    BOOST_TEST_REQUIRE(result.ok());
    const CompiledPolicy& p = *result.policy;
    BOOST_TEST((p.default_verdict == Verdict::drop));
    BOOST_TEST((p.action_for(decode::Anomaly::wrong_family) == decode::AnomalyAction::drop));
    BOOST_TEST((p.action_for(decode::Anomaly::bad_hop_limit) == decode::AnomalyAction::drop));
    // The first candidate for v4 echo-request and v4 port unreachable is rate limited.
    const CompiledRule& echo = p.rules.at(p.candidates[0][8].at(0));
    BOOST_TEST(echo.id == "v4-echo-request");
    BOOST_TEST(echo.limiters.size() == 2U);
    // Replies are limited per destination: per source, every client of one busy server
    // would share that server's budget.
    const CompiledRule& reply = p.rules.at(p.candidates[0][0].at(0));
    BOOST_TEST(reply.id == "v4-echo-reply");
    BOOST_TEST_REQUIRE(reply.limiters.size() == 2U);
    BOOST_TEST((p.limiters.at(reply.limiters[0]).per == LimiterScope::destination));
    const CompiledRule& unreach = p.rules.at(p.candidates[0][3].at(0));
    BOOST_TEST(unreach.id == "v4-unreachable-port-host-limited");
    BOOST_TEST(unreach.match.type_code[0].matches(3, 3));
    BOOST_TEST(unreach.match.type_code[0].matches(3, 1));
    BOOST_TEST(!unreach.match.type_code[0].matches(3, 4));
}

BOOST_AUTO_TEST_CASE(every_truncation_of_the_default_policy_is_exactly_one_syntax_error) {
    const std::string text = read_text(test::repository_root() / "deploy/policies/default.json");
    BOOST_TEST_REQUIRE(text.size() > 100U);
    std::size_t wrong = 0;
    // The last byte is a newline; the text without it is still a whole document.
    for (std::size_t length = 0; length + 1 < text.size(); ++length) {
        const LoadResult result = load_policy_text(std::string_view(text).substr(0, length), "default.json");
        const bool one_syntax_error =
            !result.ok() && result.diagnostics.size() == 1U && result.diagnostics[0].line.has_value();
        if (!one_syntax_error) ++wrong;
    }
    BOOST_TEST(wrong == 0U);
}

BOOST_AUTO_TEST_CASE(valid_fixtures_load_with_exactly_their_expected_warnings) {
    const fs::path dir = test::repository_root() / "tests/data/policies/valid";
    const std::vector<fs::path> files = json_files(dir);
    BOOST_TEST_REQUIRE(!files.empty());
    for (const fs::path& file : files) {
        BOOST_TEST_CONTEXT(file.filename().string()) {
            const LoadResult result = load_policy_text(read_text(file), file.filename().string());
            BOOST_TEST(result.ok());
            fs::path expected = file;
            expected.replace_extension(".expected");
            BOOST_TEST(rendered(result) == read_lines(expected), boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(invalid_fixtures_fail_with_exactly_their_expected_diagnostics) {
    const fs::path dir = test::repository_root() / "tests/data/policies/invalid";
    const std::vector<fs::path> files = json_files(dir);
    BOOST_TEST_REQUIRE(!files.empty());
    for (const fs::path& file : files) {
        BOOST_TEST_CONTEXT(file.filename().string()) {
            const LoadResult result = load_policy_text(read_text(file), file.filename().string());
            BOOST_TEST(!result.ok());
            fs::path expected = file;
            expected.replace_extension(".expected");
            BOOST_TEST_REQUIRE(fs::exists(expected));
            BOOST_TEST(rendered(result) == read_lines(expected), boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
