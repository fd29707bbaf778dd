// The decide fuzzer's policy generator (tests/fuzz/policy_generator.h) writes every key of every
// key table, and what it writes loads. A key added to a table without a generator for it fails
// generator_lists_every_key_of_each_table.
#include "tests/fuzz/policy_generator.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/limiter_keys.h"
#include "rules/match_keys.h"
#include "rules/policy_keys.h"
#include "rules/policy_loader.h"
#include "rules/policy_reader.h"
#include "rules/rule_keys.h"

namespace {

using Json = nlohmann::json;
using Names = std::set<std::string, std::less<>>;

Names table_names(std::span<const icmpgate::rules::KeyDescription> table) {
    Names names;
    for (const auto& key : table) names.emplace(key.name);
    return names;
}

template <std::size_t N>
Names listed(const std::array<std::string_view, N>& keys) {
    return Names(keys.begin(), keys.end());
}

// Policy choices from a simple deterministic byte stream (xorshift), many policies apart.
std::vector<std::uint8_t> choice_bytes(std::uint32_t seed) {
    std::vector<std::uint8_t> bytes(255);
    std::uint32_t x = seed * 2654435761U + 1U;
    for (std::uint8_t& b : bytes) {
        x ^= x << 13U;
        x ^= x >> 17U;
        x ^= x << 5U;
        b = static_cast<std::uint8_t>(x);
    }
    return bytes;
}

// Every key used anywhere in a generated policy, per object kind.
struct Seen {
    Names policy, limiter, rule, match, payload_size, embedded;
};

void note(const Json& policy, Seen& seen) {
    for (const auto& [key, value] : policy.items()) seen.policy.insert(key);
    if (policy.contains("rate_limits"))
        for (const auto& [name, limiter] : policy["rate_limits"].items())
            for (const auto& [key, value] : limiter.items()) seen.limiter.insert(key);
    for (const Json& rule : policy["rules"]) {
        for (const auto& [key, value] : rule.items()) seen.rule.insert(key);
        for (const auto& [key, value] : rule["match"].items()) {
            seen.match.insert(key);
            if (key == "payload_size")
                for (const auto& [k, v] : value.items()) seen.payload_size.insert(k);
            if (key == "embedded")
                for (const auto& [k, v] : value.items()) seen.embedded.insert(k);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_generator)

BOOST_AUTO_TEST_CASE(generator_lists_every_key_of_each_table) {
    using namespace icmpgate;
    BOOST_TEST(listed(fuzz::kGeneratedPolicyKeys) == table_names(rules::policy_keys()));
    BOOST_TEST(listed(fuzz::kGeneratedLimiterKeys) == table_names(rules::limiter_keys()));
    BOOST_TEST(listed(fuzz::kGeneratedRuleKeys) == table_names(rules::rule_keys()));
    BOOST_TEST(listed(fuzz::kGeneratedMatchKeys) == table_names(rules::match_keys()));
    BOOST_TEST(listed(fuzz::kGeneratedPayloadSizeKeys) == table_names(rules::payload_size_keys()));
    BOOST_TEST(listed(fuzz::kGeneratedEmbeddedKeys) == table_names(rules::embedded_keys()));
}

BOOST_AUTO_TEST_CASE(generated_policies_load_and_between_them_use_every_listed_key) {
    using namespace icmpgate;
    constexpr std::uint32_t kPolicies = 1000;
    Seen seen;
    for (std::uint32_t seed = 0; seed < kPolicies; ++seed) {
        const std::vector<std::uint8_t> bytes = choice_bytes(seed);
        fuzz::FuzzBytes in{bytes.data(), bytes.size()};
        const std::string text = fuzz::generate_policy(in);
        const rules::LoadResult loaded = rules::load_policy_text(text, "generated.json");
        BOOST_TEST_CONTEXT("seed " << seed << ": " << text) {
            BOOST_TEST_REQUIRE(loaded.ok());
        }
        note(Json::parse(text), seen);
    }
    BOOST_TEST(seen.policy == listed(fuzz::kGeneratedPolicyKeys));
    BOOST_TEST(seen.limiter == listed(fuzz::kGeneratedLimiterKeys));
    BOOST_TEST(seen.rule == listed(fuzz::kGeneratedRuleKeys));
    BOOST_TEST(seen.match == listed(fuzz::kGeneratedMatchKeys));
    BOOST_TEST(seen.payload_size == listed(fuzz::kGeneratedPayloadSizeKeys));
    BOOST_TEST(seen.embedded == listed(fuzz::kGeneratedEmbeddedKeys));
}

BOOST_AUTO_TEST_SUITE_END()
