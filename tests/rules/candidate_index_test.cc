#include "rules/candidate_index.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "rules/candidate_index_builder.h"
#include "rules/cidr.h"
#include "rules/policy_compiler.h"
#include "rules/rule_matcher.h"
#include "tests/rules/policy_test_support.h"
#include "tests/support/address.h"

namespace icmpgate::rules {
namespace {

constexpr std::size_t kV4 = 0;
constexpr std::size_t kV6 = 1;
constexpr std::uint8_t kEchoV4 = 8;
constexpr std::uint8_t kEchoReplyV4 = 0;
constexpr std::uint8_t kEchoV6 = 128;

using icmpgate::test::ip;

// The rule index, or -1 for none (printable in test messages).
long long found(RuleIndex rule) {
    return rule != kNoRule ? static_cast<long long>(rule) : -1;
}

decode::DecodedPacket icmp(std::string_view src, std::string_view dst, std::uint8_t type) {
    decode::DecodedPacket p;
    p.is_ip = true;
    p.is_icmp = true;
    p.src = ip(src);
    p.dst = ip(dst);
    p.family = p.src.family;
    p.has_icmp_header = true;
    p.icmp_type = type;
    p.payload_size = 56;
    return p;
}

// "echo-request from 10.0.<n>.0/24" for n = 0..count-1, then one from anywhere.
std::string echo_by_source_policy(std::size_t count) {
    std::string rules;
    for (std::size_t n = 0; n < count; ++n) {
        rules += R"({"id": "r)" + std::to_string(n) + R"(", "match": {"type": "echo-request", "source": "10.0.)" +
                 std::to_string(n) + R"(.0/24"}, "verdict": "accept"},)";
    }
    rules += R"({"id": "any", "match": {"family": "ipv4", "type": "echo-request"}, "verdict": "drop"})";
    return R"({"version": 1, "default_verdict": "drop", "rules": [)" + rules + "]}";
}

BOOST_AUTO_TEST_SUITE(candidate_index)

BOOST_AUTO_TEST_CASE(address_keys_order_like_the_address_bytes) {
    BOOST_TEST((address_key(ip("10.0.0.1")) == AddressKey{0x0A00000100000000, 0}));
    BOOST_TEST((address_key(ip("2001:db8::1")) == AddressKey{0x20010DB800000000, 1}));
    BOOST_TEST((address_key(ip("9.255.255.255")) < address_key(ip("10.0.0.0"))));
    BOOST_TEST((address_key(ip("2001:db8::ffff")) < address_key(ip("2001:db8:0:1::"))));
}

BOOST_AUTO_TEST_CASE(long_lists_are_split_by_source_intervals) {
    const auto policy = test::compile_ok(echo_by_source_policy(10));
    BOOST_TEST_REQUIRE(policy != nullptr);
    // v4 echo: 10 sourced rules + "any"; an IPv4 source makes a rule IPv4-only, so v6 echo
    // has no candidates.
    BOOST_TEST(policy->candidates[kV4][kEchoV4].size() == 11U);
    const AddressPartition* partition = policy->candidate_index.find(kV4, kEchoV4);
    BOOST_TEST_REQUIRE(partition != nullptr);
    BOOST_TEST((partition->field == IndexedField::source));
    BOOST_TEST(partition->unkeyed_rules == (std::vector<RuleIndex>{10}), boost::test_tools::per_element());
    // Intervals: [0, 10.0.0.0), then one per /24 (adjacent: no gaps between), then the rest.
    BOOST_TEST(partition->starts.size() == 12U);
    BOOST_TEST(partition->keyed_rules == (std::vector<RuleIndex>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
               boost::test_tools::per_element());
    const auto in_fourth = partition->keyed_rules_for(address_key(ip("10.0.3.77")));
    BOOST_TEST(std::vector<RuleIndex>(in_fourth.begin(), in_fourth.end()) == (std::vector<RuleIndex>{3}),
               boost::test_tools::per_element());
    BOOST_TEST(partition->keyed_rules_for(address_key(ip("10.0.10.0"))).empty());
    BOOST_TEST(partition->keyed_rules_for(address_key(ip("0.0.0.0"))).empty());
    BOOST_TEST(policy->candidate_index.find(kV6, kEchoV6) == nullptr);
    BOOST_TEST(policy->candidate_index.find(kV4, kEchoReplyV4) == nullptr);
}

BOOST_AUTO_TEST_CASE(indexed_lookup_returns_the_lowest_matching_rule) {
    const auto policy = test::compile_ok(echo_by_source_policy(10));
    BOOST_TEST_REQUIRE(policy != nullptr);
    const decode::PacketMeta meta;
    BOOST_TEST(found(first_matching_rule(*policy, icmp("10.0.7.1", "192.0.2.1", kEchoV4), meta)) == 7);
    BOOST_TEST(found(first_matching_rule(*policy, icmp("10.1.7.1", "192.0.2.1", kEchoV4), meta)) == 10);
    BOOST_TEST(first_matching_rule(*policy, icmp("10.0.7.1", "192.0.2.1", kEchoReplyV4), meta) == kNoRule);
}

BOOST_AUTO_TEST_CASE(the_walk_after_a_rule_finds_the_next_match_in_an_indexed_list) {
    // Where evaluation goes on after a rule in monitor mode.
    const auto policy = test::compile_ok(echo_by_source_policy(10));
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST_REQUIRE(policy->candidate_index.find(kV4, kEchoV4) != nullptr);
    const decode::DecodedPacket in_seventh = icmp("10.0.7.1", "192.0.2.1", kEchoV4);
    BOOST_TEST(found(first_matching_rule_after(*policy, in_seventh, {}, 7)) == 10);
    BOOST_TEST(found(first_matching_rule_after(*policy, in_seventh, {}, 2)) == 7);
    BOOST_TEST(first_matching_rule_after(*policy, in_seventh, {}, 10) == kNoRule);
}

BOOST_AUTO_TEST_CASE(the_walk_after_a_rule_in_a_short_list) {
    const auto policy = test::compile_ok(echo_by_source_policy(6));
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST_REQUIRE(policy->candidate_index.find(kV4, kEchoV4) == nullptr);
    const decode::DecodedPacket in_fifth = icmp("10.0.5.1", "192.0.2.1", kEchoV4);
    BOOST_TEST(found(first_matching_rule_after(*policy, in_fifth, {}, 5)) == 6);
    BOOST_TEST(found(first_matching_rule_after(*policy, in_fifth, {}, 0)) == 5);
    BOOST_TEST(first_matching_rule_after(*policy, in_fifth, {}, 6) == kNoRule);
}

BOOST_AUTO_TEST_CASE(short_lists_are_walked_whole) {
    const auto policy = test::compile_ok(echo_by_source_policy(6));  // 7 candidates < 8
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST(policy->candidate_index.find(kV4, kEchoV4) == nullptr);
    BOOST_TEST(found(first_matching_rule(*policy, icmp("10.0.5.1", "192.0.2.1", kEchoV4), {})) == 5);
}

BOOST_AUTO_TEST_CASE(shared_sources_make_the_destination_the_key) {
    std::string rules;
    for (std::size_t n = 0; n < 9; ++n) {
        rules += R"({"id": "r)" + std::to_string(n) +
                 R"(", "match": {"type": "echo-request", "source": "10.0.0.0/8", "destination": "192.0.)" +
                 std::to_string(n) + R"(.0/24"}, "verdict": "accept"},)";
    }
    const auto policy = test::compile_ok(R"({"version": 1, "default_verdict": "drop", "rules": [)" +
                                         rules.substr(0, rules.size() - 1) + "]}");
    BOOST_TEST_REQUIRE(policy != nullptr);
    const AddressPartition* partition = policy->candidate_index.find(kV4, kEchoV4);
    BOOST_TEST_REQUIRE(partition != nullptr);
    BOOST_TEST((partition->field == IndexedField::destination));
    BOOST_TEST(partition->unkeyed_rules.empty());
    BOOST_TEST(found(first_matching_rule(*policy, icmp("10.9.9.9", "192.0.4.4", kEchoV4), {})) == 4);
}

BOOST_AUTO_TEST_CASE(nested_prefixes_past_the_memory_bound_are_left_unkeyed) {
    // A /8 holding eight /24s: the /8 rule is listed in the 16 intervals inside it, each /24
    // rule in one: 24 entries, within the default bound (4 x 9 prefixes + 9 candidates) but not
    // within 0 per prefix (+ 9 candidates), where the /8 rule is left unkeyed.
    std::string rules =
        R"({"id": "wide", "match": {"type": "echo-request", "source": "10.0.0.0/8"}, "verdict": "drop"},)";
    for (std::size_t n = 0; n < 8; ++n) {
        rules += R"({"id": "r)" + std::to_string(n) + R"(", "match": {"type": "echo-request", "source": "10.0.)" +
                 std::to_string(2 * n) + R"(.0/24"}, "verdict": "accept"},)";
    }
    const auto policy = test::compile_ok(R"({"version": 1, "default_verdict": "drop", "rules": [)" +
                                         rules.substr(0, rules.size() - 1) + "]}");
    BOOST_TEST_REQUIRE(policy != nullptr);
    const AddressPartition* roomy = policy->candidate_index.find(kV4, kEchoV4);
    BOOST_TEST_REQUIRE(roomy != nullptr);
    BOOST_TEST(roomy->unkeyed_rules.empty());

    const CandidateIndex tight = build_candidate_index(policy->rules, policy->candidates, {8, 0});
    const AddressPartition* partition = tight.find(kV4, kEchoV4);
    BOOST_TEST_REQUIRE(partition != nullptr);
    BOOST_TEST(partition->unkeyed_rules == (std::vector<RuleIndex>{0}), boost::test_tools::per_element());
    BOOST_TEST(partition->keyed_rules.size() == 8U);
    CompiledPolicy copy = *policy;
    copy.candidate_index = tight;
    BOOST_TEST(found(first_matching_rule(copy, icmp("10.0.2.1", "192.0.2.1", kEchoV4), {})) == 0);
    BOOST_TEST(first_matching_rule(copy, icmp("11.0.2.1", "192.0.2.1", kEchoV4), {}) == kNoRule);
}

BOOST_AUTO_TEST_CASE(identical_candidate_lists_share_one_partition) {
    std::string rules;
    for (std::size_t n = 0; n < 8; ++n) {
        rules += R"({"id": "r)" + std::to_string(n) + R"(", "match": {"family": "ipv4", "source": "10.0.)" +
                 std::to_string(n) + R"(.0/24"}, "verdict": "accept"},)";
    }
    const auto policy = test::compile_ok(R"({"version": 1, "default_verdict": "drop", "rules": [)" +
                                         rules.substr(0, rules.size() - 1) + "]}");
    BOOST_TEST_REQUIRE(policy != nullptr);
    BOOST_TEST(policy->candidate_index.partitions.size() == 1U);
    BOOST_TEST(policy->candidate_index.partition_of[kV4][0] == 1U);
    BOOST_TEST(policy->candidate_index.partition_of[kV4][255] == 1U);
    BOOST_TEST(policy->candidate_index.partition_of[kV6][0] == 0U);
}

// ---- The index against the linear walk, over generated policies and packets ----

class Generator {
public:
    explicit Generator(std::uint32_t seed) : rng_(seed) {}

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
    bool chance(std::size_t percent) { return below(100) < percent; }

    decode::Family family() { return chance(50) ? decode::Family::ipv4 : decode::Family::ipv6; }

    // A type from a few common ones, so lists get long; now and then any type.
    std::uint8_t type(decode::Family f) {
        static constexpr std::uint8_t kV4Types[] = {0, 3, 8, 11};
        static constexpr std::uint8_t kV6Types[] = {1, 2, 3, 128, 129};
        if (chance(3)) return static_cast<std::uint8_t>(below(256));
        return f == decode::Family::ipv4 ? kV4Types[below(std::size(kV4Types))] : kV6Types[below(std::size(kV6Types))];
    }

    // Addresses near a few bases, so prefixes nest, overlap, touch the ends of the space and hold packets.
    decode::IpAddress address(decode::Family f) {
        static constexpr std::string_view kV4Bases[] = {"10.0.0.0", "10.1.2.0",        "10.1.3.128", "192.0.2.0",
                                                        "0.0.0.0",  "255.255.255.255", "128.0.0.0"};
        static constexpr std::string_view kV6Bases[] = {
            "2001:db8::", "2001:db8:1::", "fd00::", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::"};
        decode::IpAddress a = f == decode::Family::ipv4 ? ip(kV4Bases[below(std::size(kV4Bases))])
                                                        : ip(kV6Bases[below(std::size(kV6Bases))]);
        const std::size_t last = a.size() - 1;
        if (chance(60)) a.bytes[last] = static_cast<std::uint8_t>(below(256));
        if (chance(30)) a.bytes[last - 1] = static_cast<std::uint8_t>(a.bytes[last - 1] ^ (1U << below(8)));
        if (chance(10)) a.bytes[below(a.size())] ^= static_cast<std::uint8_t>(1U << below(8));
        return a;
    }

    Prefix random_prefix(decode::Family f) {
        static constexpr std::uint8_t kV4Lengths[] = {0, 1, 8, 16, 23, 24, 25, 31, 32};
        static constexpr std::uint8_t kV6Lengths[] = {0, 1, 16, 32, 47, 48, 64, 120, 127, 128};
        const std::uint8_t length = f == decode::Family::ipv4 ? kV4Lengths[below(std::size(kV4Lengths))]
                                                              : kV6Lengths[below(std::size(kV6Lengths))];
        return Prefix{mask_address(address(f), length), length};
    }

    PrefixList prefixes(std::size_t any_percent) {
        PrefixList list;
        if (chance(any_percent)) return list;
        list.any = false;
        const std::size_t count = 1 + below(3);
        for (std::size_t i = 0; i < count; ++i) {
            const decode::Family f = family();
            (f == decode::Family::ipv4 ? list.v4 : list.v6).push_back(random_prefix(f));
        }
        return list;
    }

    CompiledMatch match() {
        CompiledMatch m;
        const std::size_t families = below(3);
        m.families = {families != 1, families != 0};
        for (std::size_t fi = 0; fi < 2; ++fi) {
            const decode::Family f = fi == 0 ? decode::Family::ipv4 : decode::Family::ipv6;
            TypeCodeSet& set = m.type_code[fi];
            if (chance(5)) {
                set.all_codes.set();
            } else if (chance(5)) {
                set.codes_any_type.set(below(4));
            } else if (chance(15)) {
                TypeCodeSet::Restricted r;
                r.type = type(f);
                r.codes.set(below(4));
                set.restricted.push_back(r);
            } else {
                set.all_codes.set(type(f));
                if (chance(20)) set.all_codes.set(type(f));
            }
        }
        m.source = prefixes(25);
        m.destination = prefixes(60);
        if (chance(20)) {
            m.payload.min = static_cast<std::uint32_t>(below(64));
            m.payload.max = m.payload.min + static_cast<std::uint32_t>(below(64));
        }
        if (chance(10)) {
            m.in_interface.any = false;
            m.in_interface.patterns.push_back({decode::InterfaceName::from(chance(50) ? "eth" : "lan0"), chance(50)});
        }
        if (chance(15)) {
            m.embedded.present = true;
            m.embedded.destination = prefixes(50);
            if (chance(50)) {
                m.embedded.protocol.any = false;
                m.embedded.protocol.protocols.set(17);
            }
        }
        return m;
    }

    // Compiled matches drawn directly (shapes a policy file cannot state too), indexed by the
    // compiler's build_rule_index.
    CompiledPolicy policy(std::size_t rule_count) {
        CompiledPolicy policy;
        for (std::size_t i = 0; i < rule_count; ++i) {
            CompiledRule rule;
            rule.id = "g" + std::to_string(i);
            rule.match = match();
            rule.verdict = chance(50) ? Verdict::accept : Verdict::drop;
            policy.rules.push_back(std::move(rule));
        }
        build_rule_index(policy);
        return policy;
    }

    decode::DecodedPacket packet() {
        decode::DecodedPacket p;
        p.is_ip = true;
        p.is_icmp = true;
        p.family = family();
        p.src = address(p.family);
        p.dst = address(p.family);
        p.has_icmp_header = !chance(3);
        p.icmp_type = type(p.family);
        p.icmp_code = static_cast<std::uint8_t>(below(4));
        p.payload_size = static_cast<std::uint32_t>(below(128));
        if (chance(30)) {
            decode::QuotedPacket quote;
            quote.family = p.family;
            quote.protocol = chance(50) ? 17 : 6;
            quote.src = p.dst;
            quote.dst = address(p.family);
            p.quoted = quote;
        }
        return p;
    }

    decode::PacketMeta meta() {
        decode::PacketMeta m;
        if (chance(50)) m.in_interface = decode::InterfaceName::from(chance(50) ? "eth1" : "lan0");
        return m;
    }

private:
    std::mt19937 rng_;
};

BOOST_AUTO_TEST_CASE(indexed_lookup_agrees_with_the_linear_walk) {
    // Three indexes per policy: the compiler's, one splitting every list (however short) and
    // one under the tightest memory bound (nested prefixes unkeyed).
    const CandidateIndexLimits every_list{1, 4};
    const CandidateIndexLimits tight_memory{1, 0};
    Generator gen(20261125);
    std::size_t indexed = 0;
    std::size_t matched = 0;
    std::size_t matched_next = 0;
    std::size_t disagreements = 0;
    for (std::size_t round = 0; round < 60; ++round) {
        const std::size_t rule_count = 1 + gen.below(round < 30 ? 40 : 300);
        CompiledPolicy compiled = gen.policy(rule_count);
        CompiledPolicy split_all = compiled;
        split_all.candidate_index = build_candidate_index(compiled.rules, compiled.candidates, every_list);
        CompiledPolicy tight = compiled;
        tight.candidate_index = build_candidate_index(compiled.rules, compiled.candidates, tight_memory);
        for (std::size_t i = 0; i < 2000; ++i) {
            const decode::DecodedPacket packet = gen.packet();
            const decode::PacketMeta meta = gen.meta();
            const RuleIndex expected = first_matching_rule_linear(compiled, packet, meta);
            // The next match after the first (the walk past a monitor rule), by brute force.
            RuleIndex expected_next = kNoRule;
            for (RuleIndex r = expected + 1; expected != kNoRule && r < compiled.rules.size(); ++r)
                if (rule_matches(compiled.rules[r].match, packet, meta)) {
                    expected_next = r;
                    break;
                }
            for (const CompiledPolicy* policy : {&compiled, &split_all, &tight}) {
                const RuleIndex actual = first_matching_rule(*policy, packet, meta);
                const RuleIndex next =
                    expected == kNoRule ? kNoRule : first_matching_rule_after(*policy, packet, meta, expected);
                if (actual != expected || next != expected_next) {
                    ++disagreements;
                    BOOST_TEST_CONTEXT("round " << round << " packet " << i) {
                        BOOST_TEST(found(actual) == found(expected));
                        BOOST_TEST(found(next) == found(expected_next));
                    }
                }
            }
            if (compiled.candidate_index.find(family_index(packet.family), packet.icmp_type) != nullptr) ++indexed;
            if (expected != kNoRule) ++matched;
            if (expected_next != kNoRule) ++matched_next;
        }
    }
    BOOST_TEST(disagreements == 0U);
    // The generated policies must exercise the index and match often enough to mean something.
    BOOST_TEST(indexed > 30000U);
    BOOST_TEST(matched > 30000U);
    BOOST_TEST(matched_next > 30000U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
