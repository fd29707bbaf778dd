#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time under ASan+UBSan, starting from the
# committed seed corpus and regressions, and fails on the first finding (crash, sanitizer
# report, leak, timeout, out-of-memory).
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS_PER_TARGET [WORK_DIR]
# BUILD_DIR is a build with -DICMPGATE_FUZZ=ON (clang). New corpus entries and any crash
# input go to WORK_DIR (default: a temporary directory, removed unless something was found).
# Prints one line per target: executions, seconds, coverage (edges), features, corpus size.
set -euo pipefail
build=$(cd "${1:?usage: run_fuzzers.sh BUILD_DIR SECONDS [WORK_DIR]}" && pwd)
seconds=${2:?usage: run_fuzzers.sh BUILD_DIR SECONDS [WORK_DIR]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${3:-$(mktemp -d /tmp/icmpgate-fuzz.XXXXXX)}
targets=(decode_fuzz decide_fuzz decide_generated_fuzz pcap_fuzz policy_fuzz policy_mutate_fuzz)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$target"
  [[ -x $binary ]] || { echo "run_fuzzers: $binary is missing (build the 'fuzzers' target)" >&2; exit 2; }
  mkdir -p "$work/$target" "$work/artifacts/$target"
  seeds=("$here/corpus/$target")
  [[ -d $here/regressions/$target ]] && seeds+=("$here/regressions/$target")
  log="$work/$target.log"
  if ! (cd "$work" && "$binary" "$work/$target" "${seeds[@]}" -max_total_time="$seconds" -timeout=10 \
          -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/$target/" >"$log" 2>&1); then
    echo "FAIL $target: finding in $work/artifacts/$target/ (log $log)"
    grep -E "ERROR|runtime error|SUMMARY|invariant broken" "$log" | head -5 || true
    status=1
    continue
  fi
  runs=$(grep -oP 'stat::number_of_executed_units: *\K[0-9]+' "$log" || echo '?')
  time_s=$(grep -oP 'Done [0-9]+ runs in \K[0-9]+' "$log" || echo '?')
  cov=$(grep -oP '#[0-9]+\s+DONE\s+cov: \K[0-9]+' "$log" || echo '?')
  ft=$(grep -oP '#[0-9]+\s+DONE\s+cov: [0-9]+ ft: \K[0-9]+' "$log" || echo '?')
  corp=$(grep -oP '#[0-9]+\s+DONE\s+.* corp: \K[0-9]+' "$log" || echo '?')
  echo "ok   $target: $runs executions in ${time_s}s, cov $cov, ft $ft, corpus $corp"
done
if [[ $status -eq 0 && $# -lt 3 ]]; then rm -rf "$work"; fi
exit $status
