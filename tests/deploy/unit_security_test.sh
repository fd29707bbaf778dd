#!/usr/bin/env bash
# The shipped unit must score 2.0 or lower ("OK") on `systemd-analyze security --offline=true`.
# Without systemd-analyze the test skips (CTest exit code 77), except under CI=true, where a
# missing tool is a failure: the gate must never pass by not running.
set -euo pipefail

readonly kMaxExposure=2.0
readonly kSkip=77
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
unit=${1:-$root/deploy/systemd/icmpgate.service}

if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: systemd-analyze is missing (install systemd); CI=true forbids skipping" >&2
    exit 1
  fi
  echo "SKIP: systemd-analyze is missing" >&2
  exit "$kSkip"
fi
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
if ! systemd-analyze security --no-pager --offline=true --threshold=20 "$unit" >/dev/null 2>&1; then
  echo "FAIL: systemd-analyze --threshold=20 rejects the unit although it printed $exposure" >&2
  exit 1
fi
echo "PASS: $unit scores $exposure"
