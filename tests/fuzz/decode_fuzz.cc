// libFuzzer entry: decode_packet() over arbitrary bytes (body in decode_fuzz.h).
#include "tests/fuzz/decode_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return icmpgate::fuzz::decode_one(data, size);
}
