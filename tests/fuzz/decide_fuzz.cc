// libFuzzer entry: decode + decide over a fuzz-chosen packet sequence (body in decide_fuzz.h).
#include "tests/fuzz/decide_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return icmpgate::fuzz::decide_sequence(data, size);
}
