// libFuzzer entry: the pcap reader and replay path over an in-memory capture (body in pcap_fuzz.h).
#include "tests/fuzz/pcap_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return icmpgate::fuzz::pcap_one(data, size);
}
