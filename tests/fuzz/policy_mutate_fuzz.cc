// libFuzzer entry: structure-aware mutations of valid policies (body in policy_mutate_fuzz.h).
#include "tests/fuzz/policy_mutate_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return icmpgate::fuzz::policy_mutate_one(data, size);
}
