#include "rules/policy_reader.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "rules/cidr.h"
#include "rules/diagnostic_sink.h"
#include "tests/rules/policy_test_support.h"

namespace icmpgate::rules {
namespace {

constexpr std::size_t kV4 = 0;
constexpr std::size_t kV6 = 1;

// The match of the single rule in `match_json`, which must load cleanly.
CompiledMatch match_of(const std::string& match_json, const std::string& verdict = "accept") {
    const std::string text =
        R"({"version": 1, "rules": [{"id": "r", "match": )" + match_json + R"(, "verdict": ")" + verdict + R"("}]})";
    const LoadResult result = load_policy_text(text, "p.json");
    BOOST_TEST_REQUIRE(result.ok());
    return result.policy->rules.at(0).match;
}

const TypeCodeSet::Restricted* restricted_of(const TypeCodeSet& set, std::uint8_t type) {
    for (const TypeCodeSet::Restricted& r : set.restricted)
        if (r.type == type) return &r;
    return nullptr;
}

BOOST_AUTO_TEST_SUITE(policy_reader)

BOOST_AUTO_TEST_CASE(empty_match_matches_every_type_of_both_families) {
    const CompiledMatch all = match_of("{}", "accept");
    BOOST_TEST(all.families[kV4]);
    BOOST_TEST(all.families[kV6]);
    BOOST_TEST(all.type_code[kV4].all_codes.all());
    BOOST_TEST(all.type_code[kV6].all_codes.all());
}

BOOST_AUTO_TEST_CASE(type_name_resolves_in_each_family_where_it_exists) {
    const CompiledMatch m = match_of(R"({"type": "ping"})");
    BOOST_TEST(m.families[kV4]);
    BOOST_TEST(m.families[kV6]);
    BOOST_TEST(m.type_code[kV4].all_codes.count() == 1U);
    BOOST_TEST(m.type_code[kV4].all_codes.test(8));
    BOOST_TEST(m.type_code[kV6].all_codes.count() == 1U);
    BOOST_TEST(m.type_code[kV6].all_codes.test(128));
}

BOOST_AUTO_TEST_CASE(type_existing_in_one_family_disables_the_other) {
    const CompiledMatch m = match_of(R"({"type": "timestamp-request"})");
    BOOST_TEST(m.families[kV4]);
    BOOST_TEST(!m.families[kV6]);
    BOOST_TEST(m.type_code[kV6].empty());
}

BOOST_AUTO_TEST_CASE(code_name_alone_carries_its_type_in_each_family) {
    const CompiledMatch m = match_of(R"({"code": "port-unreachable"})", "drop");
    const TypeCodeSet::Restricted* v4 = restricted_of(m.type_code[kV4], 3);
    const TypeCodeSet::Restricted* v6 = restricted_of(m.type_code[kV6], 1);
    BOOST_TEST_REQUIRE(v4 != nullptr);
    BOOST_TEST_REQUIRE(v6 != nullptr);
    BOOST_TEST(v4->codes.count() == 1U);
    BOOST_TEST(v4->codes.test(3));
    BOOST_TEST(v6->codes.count() == 1U);
    BOOST_TEST(v6->codes.test(4));
    BOOST_TEST(m.type_code[kV4].all_codes.none());
    BOOST_TEST(m.type_code[kV4].matches(3, 3));
    BOOST_TEST(!m.type_code[kV4].matches(3, 4));
    BOOST_TEST(m.type_code[kV6].matches(1, 4));
}

BOOST_AUTO_TEST_CASE(iptables_alias_resolves_like_the_canonical_name) {
    const CompiledMatch m = match_of(R"({"family": "ipv4", "code": "fragmentation-needed"})", "accept");
    BOOST_TEST(m.type_code[kV4].matches(3, 4));
    BOOST_TEST(!m.families[kV6]);
}

BOOST_AUTO_TEST_CASE(type_and_codes_combine_names_and_numbers) {
    const CompiledMatch m =
        match_of(R"({"family": "ipv4", "type": "destination-unreachable", "code": ["port-unreachable", 0]})", "drop");
    BOOST_TEST_REQUIRE(m.type_code[kV4].restricted.size() == 1U);
    const TypeCodeSet::Restricted& r = m.type_code[kV4].restricted[0];
    BOOST_TEST(r.type == 3);
    BOOST_TEST(r.codes.count() == 2U);
    BOOST_TEST(r.codes.test(0));
    BOOST_TEST(r.codes.test(3));
    BOOST_TEST(m.type_code[kV4].codes_any_type.none());
}

BOOST_AUTO_TEST_CASE(type_without_an_allowed_code_drops_out) {
    const CompiledMatch m =
        match_of(R"({"type": ["destination-unreachable", "echo-request"], "code": "port-unreachable"})", "drop");
    BOOST_TEST(m.type_code[kV4].restricted.size() == 1U);
    BOOST_TEST(!m.type_code[kV4].matches(8, 0));
    BOOST_TEST(!m.type_code[kV6].matches(128, 0));
}

BOOST_AUTO_TEST_CASE(numeric_code_without_type_applies_to_any_type_of_the_family) {
    const CompiledMatch m = match_of(R"({"family": "ipv6", "code": 4})", "accept");
    BOOST_TEST(!m.families[kV4]);
    BOOST_TEST(m.type_code[kV6].codes_any_type.count() == 1U);
    BOOST_TEST(m.type_code[kV6].matches(1, 4));
    BOOST_TEST(m.type_code[kV6].matches(4, 4));
}

BOOST_AUTO_TEST_CASE(source_list_restricts_families_and_keeps_prefixes) {
    const CompiledMatch m = match_of(R"({"type": "echo-reply", "source": ["192.0.2.0/24", "198.51.100.7"]})");
    BOOST_TEST(m.families[kV4]);
    BOOST_TEST(!m.families[kV6]);
    BOOST_TEST(!m.source.any);
    BOOST_TEST_REQUIRE(m.source.v4.size() == 2U);
    BOOST_TEST(to_string(m.source.v4[0]) == "192.0.2.0/24");
    BOOST_TEST(to_string(m.source.v4[1]) == "198.51.100.7/32");
    BOOST_TEST(m.source.v6.empty());
    BOOST_TEST(m.destination.any);
}

BOOST_AUTO_TEST_CASE(interface_with_plus_is_a_prefix_pattern) {
    const CompiledMatch m = match_of(R"({"type": "echo-reply", "in_interface": ["eth+", "wg0"]})");
    BOOST_TEST(!m.in_interface.any);
    BOOST_TEST_REQUIRE(m.in_interface.patterns.size() == 2U);
    BOOST_TEST(m.in_interface.patterns[0].name.view() == "eth");
    BOOST_TEST(m.in_interface.patterns[0].prefix);
    BOOST_TEST(m.in_interface.patterns[1].name.view() == "wg0");
    BOOST_TEST(!m.in_interface.patterns[1].prefix);
    BOOST_TEST(m.out_interface.any);
}

BOOST_AUTO_TEST_CASE(payload_size_bounds_default_to_the_full_range) {
    const CompiledMatch only_max = match_of(R"({"type": "echo-reply", "payload_size": {"max": 64}})");
    BOOST_TEST(only_max.payload.min == 0U);
    BOOST_TEST(only_max.payload.max == 64U);
    const CompiledMatch only_min = match_of(R"({"type": "echo-reply", "payload_size": {"min": 1000}})");
    BOOST_TEST(only_min.payload.min == 1000U);
    BOOST_TEST(only_min.payload.max == UINT32_MAX);
}

BOOST_AUTO_TEST_CASE(embedded_protocols_ports_and_addresses_compile) {
    const CompiledMatch m = match_of(
        R"({"type": "destination-unreachable", "embedded": {"protocol": ["udp", "icmpv6", 132],
            "destination": "2001:db8::/32", "source_port": 53, "destination_port": ["1024-65535", "7"]}})");
    BOOST_TEST(m.embedded.present);
    BOOST_TEST(!m.embedded.protocol.any);
    BOOST_TEST(m.embedded.protocol.protocols.count() == 3U);
    BOOST_TEST(m.embedded.protocol.protocols.test(17));
    BOOST_TEST(m.embedded.protocol.protocols.test(58));
    BOOST_TEST(m.embedded.protocol.protocols.test(132));
    BOOST_TEST(!m.families[kV4]);  // the quote has the packet's family
    BOOST_TEST(m.embedded.source.any);
    BOOST_TEST(m.embedded.destination.v6.size() == 1U);
    BOOST_TEST_REQUIRE(m.embedded.source_port.ranges.size() == 1U);
    BOOST_TEST(m.embedded.source_port.ranges[0].first == 53);
    BOOST_TEST(m.embedded.source_port.ranges[0].last == 53);
    BOOST_TEST_REQUIRE(m.embedded.destination_port.ranges.size() == 2U);
    BOOST_TEST(m.embedded.destination_port.ranges[0].first == 1024);
    BOOST_TEST(m.embedded.destination_port.ranges[0].last == 65535);
    BOOST_TEST(m.embedded.destination_port.ranges[1].first == 7);
}

BOOST_AUTO_TEST_CASE(empty_embedded_object_requires_a_quote_only) {
    const CompiledMatch m = match_of(R"({"type": "destination-unreachable", "embedded": {}})");
    BOOST_TEST(m.embedded.present);
    BOOST_TEST(m.embedded.protocol.any);
    BOOST_TEST(m.embedded.source_port.any);
}

BOOST_AUTO_TEST_CASE(rule_fields_are_kept) {
    const LoadResult result = load_policy_text(
        R"({"version": 1, "rules": [{"id": "r.1:x", "description": "d", "sid": 4294967295,
            "match": {"type": "echo-reply"}, "verdict": "accept", "log": false}]})",
        "p.json");
    BOOST_TEST_REQUIRE(result.ok());
    const CompiledRule& rule = result.policy->rules.at(0);
    BOOST_TEST(rule.id == "r.1:x");
    BOOST_TEST(rule.sid.value() == 4294967295U);
    BOOST_TEST(!rule.log);
    BOOST_TEST(!rule.override_protection);
    BOOST_TEST((rule.verdict == Verdict::accept));
}

// The document itself: plain values, names resolved per family, faulty parts left out.
PolicyDocument document_of(const std::string& text, std::size_t& errors) {
    DiagnosticSink sink("p.json", text);
    const PolicyDocument document = read_policy_document(PolicyJson::parse(text), sink);
    errors = sink.error_count();
    return document;
}

BOOST_AUTO_TEST_CASE(the_document_holds_names_with_their_meaning_in_each_family) {
    std::size_t errors = 0;
    const PolicyDocument doc = document_of(
        R"({"version": 1, "rules": [{"id": "r", "match": {"type": ["ping", "timestamp-request", "unreach"],
            "code": "port-unreachable", "source": "192.0.2.0/24"}, "verdict": "accept"}]})",
        errors);
    BOOST_TEST(errors == 0U);
    BOOST_TEST_REQUIRE(doc.rules.size() == 1U);
    const MatchDocument& m = doc.rules[0].match;
    BOOST_TEST(!m.family.has_value());
    BOOST_TEST_REQUIRE(m.types->size() == 3U);
    BOOST_TEST((*m.types)[0].name == "ping");
    BOOST_TEST((*m.types)[0].pointer == "/rules/0/match/type/0");
    BOOST_TEST((*m.types)[0].meaning[kV4]->type == 8);
    BOOST_TEST((*m.types)[0].meaning[kV6]->type == 128);
    BOOST_TEST((*m.types)[1].meaning[kV4]->type == 13);
    BOOST_TEST(!(*m.types)[1].meaning[kV6].has_value());
    BOOST_TEST((*m.types)[2].meaning[kV6]->type == 1);  // pf's alias of destination-unreachable
    BOOST_TEST_REQUIRE(m.codes->size() == 1U);
    BOOST_TEST((*m.codes)[0].meaning[kV4]->type == 3);
    BOOST_TEST((*m.codes)[0].meaning[kV4]->code == 3);
    BOOST_TEST((*m.codes)[0].meaning[kV6]->code == 4);
    BOOST_TEST_REQUIRE(m.source->size() == 1U);
    BOOST_TEST(to_string(m.source->at(0)) == "192.0.2.0/24");
    BOOST_TEST(!m.destination.has_value());
    BOOST_TEST(!m.embedded.has_value());
}

BOOST_AUTO_TEST_CASE(faulty_rules_and_limiters_are_left_out_but_a_faulty_limiter_s_name_stays_known) {
    std::size_t errors = 0;
    const PolicyDocument doc = document_of(
        R"({"version": 1, "rate_limits": {"bad": {"rate": 0, "burst": 5}, "good": {"rate": 1, "burst": 5}},
            "rules": [{"id": "a", "match": {}, "verdict": "accept", "rate_limit": "bad"},
                      {"id": "b", "match": {"type": "echo-requets"}, "verdict": "accept"},
                      {"id": "c", "match": {"embedded": {}}, "verdict": "drop", "rate_limit": "good"}]})",
        errors);
    BOOST_TEST(errors == 2U);  // the rate and the type: naming "bad" is no second error
    BOOST_TEST_REQUIRE(doc.limiters.size() == 1U);
    BOOST_TEST(doc.limiters[0].spec.name == "good");
    BOOST_TEST(doc.limiters[0].pointer == "/rate_limits/good");
    BOOST_TEST_REQUIRE(doc.rules.size() == 2U);
    BOOST_TEST(doc.rules[0].id == "a");
    BOOST_TEST(doc.rules[1].id == "c");
    BOOST_TEST(doc.rules[1].pointer == "/rules/2");
    BOOST_TEST(doc.rules[1].match.embedded.has_value());
    BOOST_TEST((doc.rules[1].rate_limits == std::vector<std::string>{"good"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace icmpgate::rules
