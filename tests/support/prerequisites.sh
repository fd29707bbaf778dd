# shellcheck shell=bash
# tests/support/prerequisites.sh: what a test script does when it cannot run. Source it.
#
#   missing_prerequisite WHY   not root, a tool missing, ../shared missing, no namespaces ...:
#                              the test FAILS (exit 1), whether or not CI=true. Only an explicit
#                              ICMPGATE_ALLOW_SKIP=1 turns that into a skip (exit 77, which CTest
#                              reports as "Not Run" and run_all.sh as skipped), so a test never
#                              passes by not running (docs/testing.md, "When a test cannot run").
missing_prerequisite() {
    if [[ "${ICMPGATE_ALLOW_SKIP:-}" == 1 ]]; then
        echo "SKIP $(basename "$0"): $* (ICMPGATE_ALLOW_SKIP=1)"
        exit 77
    fi
    echo "FAIL prerequisites of $(basename "$0"): $* (a test that cannot run fails; ICMPGATE_ALLOW_SKIP=1 skips it instead)"
    exit 1
}
