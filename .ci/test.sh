#!/usr/bin/env bash
# Builds and runs every test: installs what is missing, builds with warnings as errors and
# runs the whole CTest suite, then does the same for an ASan+UBSan build. Exits non-zero
# on the first failure.
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
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$JOBS")
