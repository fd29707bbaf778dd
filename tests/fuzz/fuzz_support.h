#pragma once
// Shared by the libFuzzer targets and their corpus replay test: an invariant check that
// aborts (libFuzzer and Boost.Test both report an abort as a failure with the message), a
// reader that spends the fuzz input on choices, and the shipped default policy.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "filter/decode/byte_reader.h"
#include "rules/compiled_policy.h"
#include "rules/policy_loader.h"

#ifndef ICMPGATE_SOURCE_DIR
#error "ICMPGATE_SOURCE_DIR must name the source tree (the default policy is read from it)"
#endif

namespace icmpgate::fuzz {

[[noreturn]] inline void invariant_broken(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, condition);
    std::abort();
}

#define ICMPGATE_FUZZ_CHECK(condition) \
    ((condition) ? static_cast<void>(0) : ::icmpgate::fuzz::invariant_broken(#condition, __FILE__, __LINE__))

// Takes choices from the front of the input; once it is used up every choice is zero.
class FuzzBytes {
public:
    FuzzBytes(const std::uint8_t* data, std::size_t size) noexcept : rest_{data, size} {}

    std::uint8_t u8() noexcept {
        if (rest_.empty()) return 0;
        const std::uint8_t value = rest_.front();
        rest_ = rest_.subspan(1);
        return value;
    }
    std::uint16_t u16() noexcept {
        const unsigned high = u8();
        return static_cast<std::uint16_t>((high << 8U) | u8());
    }
    std::uint32_t u32() noexcept {
        const std::uint32_t high = u16();
        return (high << 16U) | u16();
    }
    std::uint64_t u64() noexcept {
        const std::uint64_t high = u32();
        return (high << 32U) | u32();
    }
    bool flag() noexcept { return (u8() & 1U) != 0; }
    // A value in [0, bound) (bound > 0).
    std::size_t below(std::size_t bound) noexcept { return u32() % bound; }
    // The next n bytes (fewer when the input ends), consumed.
    decode::Bytes take(std::size_t n) noexcept {
        const std::size_t count = n < rest_.size() ? n : rest_.size();
        const decode::Bytes head = rest_.first(count);
        rest_ = rest_.subspan(count);
        return head;
    }
    [[nodiscard]] decode::Bytes rest() const noexcept { return rest_; }
    [[nodiscard]] bool empty() const noexcept { return rest_.empty(); }

private:
    decode::Bytes rest_;
};

// The whole content of a file ("" when it cannot be read).
inline std::string read_file(const std::string& path) {
    std::string text;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return text;
    constexpr std::size_t kChunk = 65536;
    std::string chunk(kChunk, '\0');
    std::size_t n = 0;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) text.append(chunk.data(), n);
    std::fclose(file);
    return text;
}

// deploy/policies/default.json, loaded once.
inline std::shared_ptr<const rules::CompiledPolicy> default_policy() {
    static const std::shared_ptr<const rules::CompiledPolicy> policy = [] {
        const std::string path = std::string{ICMPGATE_SOURCE_DIR} + "/deploy/policies/default.json";
        rules::LoadResult loaded = rules::load_policy_file(path);
        if (!loaded.ok()) invariant_broken("the default policy loads", __FILE__, __LINE__);
        return loaded.policy;
    }();
    return policy;
}

}  // namespace icmpgate::fuzz
