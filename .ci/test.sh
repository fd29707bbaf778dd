#!/usr/bin/env bash
# Builds and runs every test: installs what is missing, builds with warnings as errors and
# runs the whole CTest suite (unit, golden, deploy, end-to-end), then builds with ASan+UBSan
# and runs everything again except the deploy/ checks (shell-level; the system-call filter
# check cannot run under sanitizers) and the package checks (the .deb is a release
# artefact), and finally runs every libFuzzer target 30 s with clang (ASan+UBSan; any finding
# fails). Exits non-zero on the first failure. Needs root for the namespace tests: a test that
# cannot run (not root, a tool missing) fails, CI=true or not, unless ICMPGATE_ALLOW_SKIP=1.
# ICMPGATE_LAB_LOCK=FILE (optional): on a machine where other suites build labs too, the tests that
# build one (labels e2e and deploy: namespaces, iptables, systemd-nspawn) run one at a time under
# flock FILE, after the others have run in parallel (tests/tools/fresh_root_test.sh sets it).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# run_ctest BUILD_DIR LABELS_LEFT_OUT: the suite in BUILD_DIR, less the tests whose labels match
# LABELS_LEFT_OUT (a regex; "" for none).
run_ctest() {
  local dir=$1 left_out=$2 lab='e2e|deploy'
  [[ -z "$left_out" ]] || lab="$lab|$left_out"
  if [[ -z "${ICMPGATE_LAB_LOCK:-}" ]]; then
    (cd "$dir" && ctest --output-on-failure -j "$JOBS" ${left_out:+-LE "$left_out"})
    return
  fi
  (cd "$dir" && ctest --output-on-failure -j "$JOBS" -LE "$lab")
  # The lab tests alone: labelled e2e or deploy, and not left out.
  (cd "$dir" && flock "$ICMPGATE_LAB_LOCK" ctest --output-on-failure -L 'e2e|deploy' ${left_out:+-LE "$left_out"})
}

bash "$ICMPGATE_ROOT/.ci/install-deps.sh" --with-tests

echo "== layering: the pure core includes no I/O library"
bash "$ICMPGATE_ROOT/.ci/check-layering.sh"

echo "== format: every C++ file as clang-format writes it"
bash "$ICMPGATE_ROOT/.ci/check-format.sh"

echo "== release build (-Werror) and tests"
configure_and_build "$ICMPGATE_ROOT/build/ci" -DICMPGATE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
run_ctest "$ICMPGATE_ROOT/build/ci" ""

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
configure_and_build "$ICMPGATE_ROOT/build/asan" -DICMPGATE_WERROR=ON -DICMPGATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
 run_ctest "$ICMPGATE_ROOT/build/asan" "deploy|package")

echo "== fuzzing: every libFuzzer target 30 s under ASan+UBSan (clang); any finding fails"
# Seeds and regressions from tests/fuzz/; docs/security.md has the long-run figures.
CXX=clang++ cmake -S "$ICMPGATE_ROOT" -B "$ICMPGATE_ROOT/build/fuzz" -DICMPGATE_FUZZ=ON -DICMPGATE_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$ICMPGATE_ROOT/build/fuzz" -j "$JOBS" --target fuzzers
bash "$ICMPGATE_ROOT/tests/fuzz/run_fuzzers.sh" "$ICMPGATE_ROOT/build/fuzz" "${ICMPGATE_FUZZ_SECONDS:-30}"
