#pragma once
// Fuzz body, structure-aware: starts from a valid policy (a shipped or test policy chosen
// by the input), applies mutations the input picks (a value replaced by another JSON type,
// a key dropped or duplicated, a number set to a boundary, a name or key changed by one
// edit), and loads the result. Checks as policy_fuzz.h, and a policy that loads must decide.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "filter/decode/decode.h"
#include "filter/verdict/engine.h"
#include "rules/policy_loader.h"
#include "rules/rate_limiter.h"
#include "tests/fuzz/decide_fuzz.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/policy_fuzz.h"

namespace icmpgate::fuzz {

using Json = nlohmann::json;

inline const std::vector<Json>& seed_policies() {
    static const std::vector<Json> seeds = [] {
        const std::string root{ICMPGATE_SOURCE_DIR};
        std::vector<Json> parsed;
        for (const char* relative :
             {"/deploy/policies/default.json", "/deploy/policies/strict.json",
              "/tests/data/policies/valid/every-key.json", "/tests/data/policies/valid/aliases.json",
              "/tests/data/policies/valid/warnings.json"}) {
            const std::string text = read_file(root + relative);
            Json json = Json::parse(text, nullptr, false);
            if (json.is_discarded()) invariant_broken("a seed policy parses", __FILE__, __LINE__);
            parsed.push_back(std::move(json));
        }
        return parsed;
    }();
    return seeds;
}

// Nodes of a document (itself included), and the index-th of them in pre-order (0 is the
// node itself, then each child's subtree in turn). Walking instead of collecting a JSON
// Pointer per node keeps a mutation free of allocations: the harness ran at a fraction of
// the loader's speed when it built hundreds of pointers per mutation.
inline std::size_t count_nodes(const Json& node) {
    std::size_t count = 1;
    if (node.is_structured())
        for (const Json& child : node) count += count_nodes(child);
    return count;
}

inline Json& node_at(Json& node, std::size_t index) {
    if (index == 0) return node;
    --index;
    if (node.is_structured()) {
        for (Json& child : node) {
            const std::size_t size = count_nodes(child);
            if (index < size) return node_at(child, index);
            index -= size;
        }
    }
    invariant_broken("a node index below count_nodes()", __FILE__, __LINE__);
}

// Marks a key to be written twice: the dumped text has `"<marker>key"` turned back into `"key"`.
inline constexpr std::string_view kDuplicateMarker = "@@duplicate@@";

inline Json boundary_number(FuzzBytes& input) {
    switch (input.below(16)) {
        case 0:
            return 0;
        case 1:
            return -1;
        case 2:
            return 1;
        case 3:
            return std::numeric_limits<std::int32_t>::max();
        case 4:
            return std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
        case 5:
            return std::numeric_limits<std::uint32_t>::max();
        case 6:
            return std::uint64_t{std::numeric_limits<std::uint32_t>::max()} + 1;
        case 7:
            return std::numeric_limits<std::int64_t>::max();
        case 8:
            return std::numeric_limits<std::int64_t>::min();
        case 9:
            return std::numeric_limits<std::uint64_t>::max();
        case 10:
            return 1e308;
        case 11:
            return -0.0;
        case 12:
            return 0.5;
        case 13:
            return 255 + static_cast<int>(input.below(3));  // 255..257
        case 14:
            return 65535 + static_cast<int>(input.below(3));  // 65535..65537
        default:
            return 32 + static_cast<int>(input.below(98));  // 32..129: prefix lengths
    }
}

inline Json other_type(FuzzBytes& input, const Json& current) {
    switch (input.below(9)) {
        case 0:
            return nullptr;
        case 1:
            return true;
        case 2:
            return "x";
        case 3:
            return "";
        case 4:
            return boundary_number(input);
        case 5:
            return Json::array();
        case 6:
            return Json::object();
        case 7:
            return Json::array({current});
        default:
            return Json{{"value", current}};
    }
}

inline std::string one_edit(FuzzBytes& input, std::string text) {
    const char replacement = static_cast<char>(input.u8());
    const std::size_t at = text.empty() ? 0 : input.below(text.size() + 1);
    switch (input.below(3)) {
        case 0:
            text.insert(at, 1, replacement);
            break;
        case 1:
            if (at < text.size()) text.erase(at, 1);
            break;
        default:
            if (at < text.size()) text[at] = replacement;
            break;
    }
    return text;
}

inline void mutate(FuzzBytes& input, Json& document) {
    Json& node = node_at(document, input.below(count_nodes(document)));
    switch (input.below(6)) {
        case 0:
            node = other_type(input, node);
            break;
        case 1:  // drop a member or element
            if (node.is_object() && !node.empty()) {
                auto it = node.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(input.below(node.size())));
                node.erase(it);
            } else if (node.is_array() && !node.empty()) {
                node.erase(input.below(node.size()));
            }
            break;
        case 2:  // duplicate a member (written twice) or an element
            if (node.is_object() && !node.empty()) {
                auto it = node.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(input.below(node.size())));
                const std::string key{kDuplicateMarker};
                node[key + it.key()] = it.value();
            } else if (node.is_array() && !node.empty()) {
                node.push_back(node[input.below(node.size())]);
            }
            break;
        case 3:
            if (node.is_number()) node = boundary_number(input);
            break;
        case 4:  // a name by one edit
            if (node.is_string()) node = one_edit(input, node.get<std::string>());
            break;
        default:  // a key by one edit
            if (node.is_object() && !node.empty()) {
                auto it = node.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(input.below(node.size())));
                const std::string key = it.key();
                Json value = it.value();
                node.erase(key);
                node[one_edit(input, key)] = std::move(value);
            }
            break;
    }
}

inline std::string dump_with_duplicates(const Json& document) {
    // error_handler::replace: a one-edit may have made a string invalid UTF-8.
    std::string text = document.dump(1, ' ', false, Json::error_handler_t::replace);
    const std::string marked = "\"" + std::string{kDuplicateMarker};
    for (std::size_t at = text.find(marked); at != std::string::npos; at = text.find(marked, at))
        text.replace(at, marked.size(), "\"");
    return text;
}

inline void decide_a_few(const rules::CompiledPolicy& policy) {
    rules::LimiterState limiters{small_tables(policy.limiters)};
    // An echo request 192.0.2.1 -> 198.51.100.2, decided a few times (rate limits).
    static constexpr std::array<std::uint8_t, 28> kEcho{0x45, 0, 0,   28, 0,   1, 0, 0, 64,   1,    0, 0, 192, 0,
                                                        2,    1, 198, 51, 100, 2, 8, 0, 0xf7, 0xfe, 0, 1, 0,   0};
    decode::PacketMeta meta{};
    const decode::DecodedPacket packet = decode::decode_packet(kEcho, decode::DecodeOptions{});
    for (int i = 0; i < 3; ++i) {
        const verdict::Decision d = verdict::decide(policy, packet, meta, limiters);
        if (d.rule) ICMPGATE_FUZZ_CHECK(*d.rule < policy.rules.size());
    }
}

inline constexpr std::size_t kMaxMutations = 8;

inline int policy_mutate_one(const std::uint8_t* data, std::size_t size) {
    FuzzBytes input{data, size};
    const std::vector<Json>& seeds = seed_policies();
    Json document = seeds[input.below(seeds.size())];
    const std::size_t mutations = 1 + input.below(kMaxMutations);
    for (std::size_t i = 0; i < mutations; ++i) mutate(input, document);
    const rules::LoadResult result = rules::load_policy_text(dump_with_duplicates(document), "mutated.json");
    check_load_result(result);
    if (result.ok()) decide_a_few(*result.policy);
    return 0;
}

}  // namespace icmpgate::fuzz
