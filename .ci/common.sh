# Shared by .ci/demo.sh and .ci/test.sh: where things are and how to build.
set -euo pipefail
ICMPGATE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-$(nproc)}

# configure_and_build BUILD_DIR [cmake args...]
configure_and_build() {
  local dir=$1; shift
  cmake -S "$ICMPGATE_ROOT" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}
