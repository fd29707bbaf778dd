// libFuzzer entry: decide() against generated policies using every key (body in decide_generated_fuzz.h).
#include "tests/fuzz/decide_generated_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return icmpgate::fuzz::decide_generated(data, size);
}
