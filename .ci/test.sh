#!/usr/bin/env bash
# Builds and runs every test: installs what is missing, builds with warnings as errors and
# runs the whole CTest suite (unit, golden, deploy, end-to-end), then builds with ASan+UBSan
# and runs everything again except the deploy/ checks (shell-level; the system-call filter
# check cannot run under sanitizers) and the package checks (the .deb is a release
# artefact), and finally runs every libFuzzer target 30 s with clang (ASan+UBSan; any finding
# fails). Exits non-zero on the first failure. Needs root for the namespace tests: a test that
# cannot run (not root, a tool missing) fails, CI=true or not, unless ICMPGATE_ALLOW_SKIP=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$ICMPGATE_ROOT/.ci/install-deps.sh" --with-tests

echo "== layering: the pure core includes no I/O library"
bash "$ICMPGATE_ROOT/.ci/check-layering.sh"

echo "== release build (-Werror) and tests"
configure_and_build "$ICMPGATE_ROOT/build/ci" -DICMPGATE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$ICMPGATE_ROOT/build/ci" && ctest --output-on-failure -j "$JOBS")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
configure_and_build "$ICMPGATE_ROOT/build/asan" -DICMPGATE_WERROR=ON -DICMPGATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd "$ICMPGATE_ROOT/build/asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$JOBS" -LE "deploy|package")

echo "== fuzzing: every libFuzzer target 30 s under ASan+UBSan (clang); any finding fails"
# Seeds and regressions from tests/fuzz/; docs/security.md has the long-run figures.
CXX=clang++ cmake -S "$ICMPGATE_ROOT" -B "$ICMPGATE_ROOT/build/fuzz" -DICMPGATE_FUZZ=ON -DICMPGATE_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$ICMPGATE_ROOT/build/fuzz" -j "$JOBS" --target fuzzers
bash "$ICMPGATE_ROOT/tests/fuzz/run_fuzzers.sh" "$ICMPGATE_ROOT/build/fuzz" "${ICMPGATE_FUZZ_SECONDS:-30}"
