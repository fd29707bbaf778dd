#!/usr/bin/env bash
# tests/bench/run.sh [--quick] [--callgrind]: the in-process benchmarks of issue 4, one command.
#
# Builds Release (-O2 -g, as packaged) in build/bench, runs decision_bench (Google Benchmark,
# JSON kept in build/bench/bench-results.json) and limiter_memory, then prints ns/packet,
# packets/s per core, allocations per packet and the ratios the targets are stated in:
# decision path vs 150 ns, formatting vs 500 ns, 1000 vs 10 generated rules.
#   --quick       shorter runs (min time 0.05 s per benchmark, 10^5-source memory flood)
#   --callgrind   also count instructions per packet with valgrind (repeatable under load): the
#                 decision path, formatting, and the whole per-packet path of the queue worker
#                 (queue_bench, the kernel faked) and of replay (the corpus as a capture)
# Bounded: the full run takes about a minute on the reference machine; --quick ~15 s.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$REPO/build/bench
QUICK=0
CALLGRIND=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --callgrind) CALLGRIND=1 ;;
    *) echo "usage: $0 [--quick] [--callgrind]" >&2; exit 2 ;;
  esac
done
MIN_TIME=0.5
SOURCES=1000000
if [ "$QUICK" = 1 ]; then MIN_TIME=0.05; SOURCES=100000; fi

cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -g -DNDEBUG" \
  -DICMPGATE_WERROR=ON >/dev/null
cmake --build "$BUILD" -j2 --target decision_bench limiter_memory >/dev/null
if [ "$CALLGRIND" = 1 ]; then cmake --build "$BUILD" -j2 --target queue_bench icmpgate >/dev/null; fi

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)  ($(date -u '+%F %T UTC'))"
RESULTS=$BUILD/bench-results.json
timeout 600 "$BUILD/tests/decision_bench" --benchmark_min_time="$MIN_TIME" \
  --benchmark_out="$RESULTS" --benchmark_out_format=json
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RESULTS" <<'EOF'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
def ns(name): return runs[name]["time_per_packet"] * 1e9
print()
print(f"{'benchmark':34} {'ns/packet':>10} {'Mpps/core':>10} {'allocs/pkt':>10} {'accepted':>9}")
for name, b in runs.items():
    print(f"{name:34} {ns(name):10.1f} {b['packets_per_s']/1e6:10.2f} {b['allocs_per_packet']:10.0f} {b['accepted']:9.2f}")
decision = ns("decode_decide/default")
fmt = ns("format/default")
r10, r1000 = ns("decode_decide/rules:10"), ns("decode_decide/rules:1000")
def verdict(ok): return "met" if ok else "MISSED"
print()
print(f"decision path (decode+decide): {decision:.0f} ns vs target 150 ns: {verdict(decision <= 150)} ({decision/150:.2f}x)")
print(f"record formatting:             {fmt:.0f} ns vs target 500 ns: {verdict(fmt <= 500)} ({fmt/500:.2f}x)")
print(f"1000 vs 10 generated rules:    {r1000/r10:.2f}x vs target 1.5x: {verdict(r1000/r10 <= 1.5)}")
k1, k6 = ns("decode_decide/keys/1"), ns("decode_decide/keys/1000000")
print(f"10^6 vs 1 tracked keys:        {k6/k1:.2f}x")
allocs = max(b["allocs_per_packet"] for b in runs.values())
print(f"allocations per packet:        {allocs:.0f} (target 0): {verdict(allocs == 0)}")
print("(CPU time per packet; wall time is higher when other processes share the cores: see the load lines.)")
EOF

echo
echo "== memory: limiter state under a ${SOURCES}-source spoofed flood"
"$BUILD/tests/limiter_memory" "$SOURCES"

if [ "$CALLGRIND" = 1 ]; then
  echo
  echo "== instructions per packet (valgrind --tool=callgrind, counted inside the named functions only;"
  echo "   repeatable whatever the load)"
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  count() {  # count LABEL FILTER FUNCTION...
    local label=$1 filter=$2; shift 2
    local toggles=()
    for f in "$@"; do toggles+=("--toggle-collect=$f"); done
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "${toggles[@]}" \
      "$BUILD/tests/decision_bench" --benchmark_filter="$filter" --benchmark_min_time=0.01 \
      >"$out/stdout" 2>"$out/stderr" || { echo "  $label: callgrind failed"; return; }
    python3 - "$label" "$out/stdout" "$out/stderr" <<'EOF'
import re, sys
ir = int(re.search(r"Collected : (\d+)", open(sys.argv[3]).read()).group(1))
packets = int(re.search(r"measured packets: (\d+)", open(sys.argv[2]).read()).group(1))
print(f"  {sys.argv[1]:40} {ir / packets:8.0f} instructions/packet ({packets} packets)")
EOF
  }
  decode='icmpgate::decode::decode_packet*'
  decide='icmpgate::verdict::decide*'
  count "decode" '^decode$' "$decode"
  count "decode + decide (default policy)" '^decode_decide/default$' "$decode" "$decide"
  count "record + line formatting" '^format/default$' 'icmpgate::log::make_verdict_record*' 'icmpgate::log::JsonLine::format*'
  count "decode + decide, 10 generated rules" '^decode_decide/rules:10$' "$decode" "$decide"
  count "decode + decide, 1000 generated rules" '^decode_decide/rules:1000$' "$decode" "$decide"
  # The daemon's and replay's whole per-packet paths (pipeline, counters, sinks), 10,000 packets
  # of the same corpus, default policy.
  path_count() {  # path_count LABEL PACKETS TOGGLE COMMAND...
    local label=$1 packets=$2 toggle=$3; shift 3
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "--toggle-collect=$toggle" "$@" \
      >"$out/stdout" 2>"$out/stderr" || { echo "  $label: callgrind failed"; return; }
    local ir
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/stderr")
    printf '  %-40s %8d instructions/packet (%d packets)\n' "$label" $((ir / packets)) "$packets"
  }
  for log in none rate all; do
    path_count "queue path, log $log" 10000 'icmpgate::nfq::QueueWorker::run*' "$BUILD/tests/queue_bench" --log "$log"
  done
  # The evidence capture sink on the queue thread (the writer thread is not counted).
  for capture in drop all; do
    path_count "queue path, log rate, --capture $capture" 10000 'icmpgate::nfq::QueueWorker::run*' \
      "$BUILD/tests/queue_bench" --log rate --capture "$capture"
  done
  "$BUILD/tests/queue_bench" --write-pcap "$out/corpus.pcap" >/dev/null
  path_count "replay, json lines" 10000 'icmpgate::replay::replay_capture(*span*' \
    "$BUILD/icmpgate" replay --policy "$REPO/deploy/policies/default.json" "$out/corpus.pcap"
fi
