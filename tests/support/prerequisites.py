"""What a Python test does when it cannot run (tests/support/prerequisites.sh's twin).

missing_prerequisite(why): the test fails (exit 1), whether or not CI=true; only an explicit
ICMPGATE_ALLOW_SKIP=1 turns that into a skip (exit 77, CTest's "Not Run"). docs/testing.md,
"When a test cannot run".
"""
import os
import sys


def skipping_allowed():
    return os.environ.get("ICMPGATE_ALLOW_SKIP") == "1"


def missing_prerequisite(why):
    name = os.path.basename(sys.argv[0])
    if skipping_allowed():
        print(f"SKIP {name}: {why} (ICMPGATE_ALLOW_SKIP=1)")
        sys.exit(77)
    print(f"FAIL prerequisites of {name}: {why} (a test that cannot run fails; "
          "ICMPGATE_ALLOW_SKIP=1 skips it instead)")
    sys.exit(1)
