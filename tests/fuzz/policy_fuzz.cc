// libFuzzer entry: load_policy_text() over arbitrary bytes (body in policy_fuzz.h).
#include "tests/fuzz/policy_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return icmpgate::fuzz::policy_one(data, size);
}
