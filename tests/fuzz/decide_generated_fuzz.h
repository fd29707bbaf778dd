#pragma once
// Fuzz body: decide() against generated policies (tests/fuzz/policy_generator.h, every key of the
// policy language) over a packet sequence, with decide_fuzz.h's invariants. A generated policy
// must load: one that does not is a generator fault and stops the run with its diagnostics.
// Input: [n u8][n bytes: the policy generator's choices][decide_fuzz.h's sequence].

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "rules/policy_loader.h"
#include "tests/fuzz/decide_fuzz.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/policy_generator.h"

namespace icmpgate::fuzz {

inline int decide_generated(const std::uint8_t* data, std::size_t size) {
    FuzzBytes input{data, size};
    const decode::Bytes choice_bytes = input.take(input.u8());
    FuzzBytes choices{choice_bytes.data(), choice_bytes.size()};
    const std::string text = generate_policy(choices);
    const rules::LoadResult loaded = rules::load_policy_text(text, "generated.json");
    if (!loaded.ok()) {
        std::fprintf(stderr, "generated policy refused:\n%s\n", text.c_str());
        for (const rules::Diagnostic& diagnostic : loaded.diagnostics)
            std::fprintf(stderr, "%s\n", diagnostic.to_string().c_str());
        invariant_broken("a generated policy loads", __FILE__, __LINE__);
    }
    decide_packets(*loaded.policy, input);
    return 0;
}

}  // namespace icmpgate::fuzz
