#!/usr/bin/env bash
# The shipped units must score low on `systemd-analyze security --offline=true`: the daemon's
# icmpgate.service 2.0 or lower ("OK"), the rules loader icmpgate-rules.service 3.0 or lower (a
# root oneshot that needs CAP_NET_ADMIN and netlink). With arguments UNIT MAX, only that unit.
# Without systemd-analyze the test fails (ICMPGATE_ALLOW_SKIP=1: skips, CTest exit code 77): the
# gate must never pass by not running.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if (($# == 0)); then
  rc=0
  bash "$0" "$root/deploy/systemd/icmpgate.service" 2.0 || rc=1
  bash "$0" "$root/deploy/systemd/icmpgate-rules.service" 3.0 || rc=1
  exit "$rc"
fi
unit=$1
readonly kMaxExposure=${2:?usage: unit_security_test.sh [UNIT MAX]}

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
command -v systemd-analyze >/dev/null 2>&1 || missing_prerequisite "systemd-analyze is missing (apt-get install systemd)"
[[ -r "$unit" ]] || { echo "FAIL: cannot read $unit" >&2; exit 1; }

# --offline needs systemd >= 250; on older versions the option itself is an error, not a skip.
output=$(systemd-analyze security --no-pager --offline=true "$unit" 2>&1) || {
  echo "$output" >&2
  echo "FAIL: systemd-analyze security --offline=true exited non-zero" >&2
  exit 1
}

# Last line: "→ Overall exposure level for icmpgate.service: 1.2 OK 🙂"
exposure=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9]*\.[0-9]\) .*/\1/p' | tail -n 1)
if [[ -z "$exposure" ]]; then
  printf '%s\n' "$output" >&2
  echo "FAIL: no 'Overall exposure level' line in the output" >&2
  exit 1
fi

# The ✗ lines say what costs points; print them so a regression is easy to read.
printf '%s\n' "$output" | grep '✗' || true
echo "exposure: $exposure (limit $kMaxExposure)"
if awk -v got="$exposure" -v max="$kMaxExposure" 'BEGIN { exit !(got + 0 > max + 0) }'; then
  echo "FAIL: exposure $exposure is above $kMaxExposure" >&2
  exit 1
fi

# Cross-check with systemd's own gate (threshold is the exposure x10, inclusive).
threshold=$(awk -v max="$kMaxExposure" 'BEGIN { printf "%d", max * 10 + 0.5 }')
if ! systemd-analyze security --no-pager --offline=true --threshold="$threshold" "$unit" >/dev/null 2>&1; then
  echo "FAIL: systemd-analyze --threshold=$threshold rejects the unit although it printed $exposure" >&2
  exit 1
fi
echo "PASS: $unit scores $exposure"
