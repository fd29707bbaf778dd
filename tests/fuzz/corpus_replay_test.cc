// Replays every committed fuzz input (seed corpora and regressions) through the same fuzz
// bodies the libFuzzer targets run, so any compiler (GCC in the normal build) checks them.
// A broken invariant aborts with its message (see fuzz_support.h).
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/fuzz/decide_fuzz.h"
#include "tests/fuzz/decide_generated_fuzz.h"
#include "tests/fuzz/decode_fuzz.h"
#include "tests/fuzz/pcap_fuzz.h"
#include "tests/fuzz/policy_fuzz.h"
#include "tests/fuzz/policy_mutate_fuzz.h"

namespace {

namespace fs = std::filesystem;
using FuzzBody = int (*)(const std::uint8_t*, std::size_t);

const fs::path kFuzzDir = fs::path{ICMPGATE_SOURCE_DIR} / "tests" / "fuzz";

std::vector<fs::path> inputs_of(const std::string& target) {
    std::vector<fs::path> files;
    for (const char* kind : {"corpus", "regressions"}) {
        const fs::path dir = kFuzzDir / kind / target;
        if (!fs::is_directory(dir)) continue;
        for (const fs::directory_entry& entry : fs::directory_iterator{dir})
            if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
    const std::string text = icmpgate::fuzz::read_file(path.string());
    return {text.begin(), text.end()};
}

// Runs every input of a target; returns how many ran.
std::size_t replay_all(const std::string& target, FuzzBody body) {
    std::size_t count = 0;
    for (const fs::path& path : inputs_of(target)) {
        BOOST_TEST_CONTEXT("input " << path.string()) {
            const std::vector<std::uint8_t> bytes = read_bytes(path);
            BOOST_TEST(body(bytes.data(), bytes.size()) == 0);
            ++count;
        }
    }
    return count;
}

// Seed corpus sizes as committed (make_seeds.py); a lost directory must not pass silently.
constexpr std::size_t kMinDecodeInputs = 100;
constexpr std::size_t kMinCaptureInputs = 10;
constexpr std::size_t kMinPolicyInputs = 20;
constexpr std::size_t kMinMutationInputs = 8;
constexpr std::size_t kMinGeneratedInputs = 50;

}  // namespace

BOOST_AUTO_TEST_SUITE(fuzz_corpus_replay)

BOOST_AUTO_TEST_CASE(decode_inputs_keep_invariants_over_every_corpus_file) {
    BOOST_TEST(replay_all("decode_fuzz", icmpgate::fuzz::decode_one) >= kMinDecodeInputs);
}

BOOST_AUTO_TEST_CASE(policy_inputs_load_without_crash_over_every_corpus_file) {
    BOOST_TEST(replay_all("policy_fuzz", icmpgate::fuzz::policy_one) >= kMinPolicyInputs);
}

BOOST_AUTO_TEST_CASE(policy_mutations_load_without_crash_over_every_corpus_file) {
    BOOST_TEST(replay_all("policy_mutate_fuzz", icmpgate::fuzz::policy_mutate_one) >= kMinMutationInputs);
}

BOOST_AUTO_TEST_CASE(pcap_inputs_replay_without_crash_over_every_corpus_file) {
    BOOST_TEST(replay_all("pcap_fuzz", icmpgate::fuzz::pcap_one) >= kMinCaptureInputs);
}

BOOST_AUTO_TEST_CASE(decide_sequences_keep_invariants_over_every_corpus_file) {
    BOOST_TEST(replay_all("decide_fuzz", icmpgate::fuzz::decide_sequence) >= kMinCaptureInputs);
}

BOOST_AUTO_TEST_CASE(decide_against_generated_policies_keeps_invariants_over_every_corpus_file) {
    BOOST_TEST(replay_all("decide_generated_fuzz", icmpgate::fuzz::decide_generated) >= kMinGeneratedInputs);
}

BOOST_AUTO_TEST_CASE(empty_input_is_harmless_for_every_target) {
    for (const FuzzBody body :
         {icmpgate::fuzz::decode_one, icmpgate::fuzz::policy_one, icmpgate::fuzz::policy_mutate_one,
          icmpgate::fuzz::pcap_one, icmpgate::fuzz::decide_sequence, icmpgate::fuzz::decide_generated}) {
        BOOST_TEST(body(nullptr, 0) == 0);
    }
}

BOOST_AUTO_TEST_SUITE_END()
