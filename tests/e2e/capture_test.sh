#!/bin/bash
# Evidence captures (icmpgate run --capture): pings that the policy accepts and pings it drops
# (a rule drops echo requests from the client's second source), both families. tshark reads the
# pcapng files and every packet's comment is compared with the log record of the same queue and
# packet id: verdict, reason, rule, limiter, interfaces and policy, exactly; the counts are exact
# (16 packets with --capture-verdicts all: 3 accepted requests and 3 replies plus 2 dropped
# requests per family; 4 with the default, drops only). `icmpgate replay` reads the files back
# and decides every packet as the comments say. The directory and files have the documented modes,
# a restart continues the ring and removes what passes --capture-files, and the counters reach
# the exit summary, the stats event and the metrics file. On a full disk (a 64 KiB tmpfs), what
# cannot be written is counted, every verdict is still given, and the file stays readable: tshark
# reads exactly the packets counted as written.
source "$(dirname "$0")/lab.sh"
FULL=""
trap '[[ -n "$FULL" ]] && umount "$FULL" 2>/dev/null; lab_down' EXIT

command -v tshark >/dev/null || missing_prerequisite "tshark not found (the captures are read by Wireshark's reader)"
POLICY="$E2E_DIR/policies/echo-second-source-dropped.json"
IG_STATS_INTERVAL=1 # stats events: the capture counters must reach them (compare ignores them)

lab_up || lab_abort lab_up "could not build the lab"
queue_rules_install bypass

pings() { # the same traffic every run: 3 accepted pings and 2 dropped ones, per family
    pings_from_both_sources 0 "dropped, 0 replies"
    wait_log_quiet
}

# ---- every verdict captured
ALL="$LAB_TMP/captures-all"
start_icmpgate "$POLICY" --capture "$ALL" --capture-verdicts all --metrics-file "$LAB_TMP/icmpgate.prom" ||
    lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_contains "start-up names the first capture file" "capturing all verdicts to $ALL/icmpgate-00000001-" "$IG_ERR"
pings
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"

mapfile -t files < <(ls "$ALL"/*.pcapng 2>/dev/null)
check_eq "one capture file" 1 "${#files[@]}"
check_eq "the capture directory is 0750" 750 "$(stat -c %a "$ALL")"
check_eq "the capture file is 0640" 640 "$(stat -c %a "${files[0]}")"
capinfos -t -E "${files[0]}" >"$LAB_TMP/capinfos.out" 2>&1
check_contains "capinfos: a pcapng file" "pcapng" "$LAB_TMP/capinfos.out"
check_contains "capinfos: raw IP packets" "Raw IP" "$LAB_TMP/capinfos.out"
"$PY" "$E2E_DIR/capture_comments.py" compare "$IG_LOG" "${files[@]}" >"$LAB_TMP/compare.out"
rc=$?
cat "$LAB_TMP/compare.out"
check_eq "tshark: every comment matches its log record (verdict, reason, rule, limiter, interfaces, policy)" \
    "captured 16, matched 16, faults 0" "$(head -n 1 "$LAB_TMP/compare.out")"
check_eq "capture_comments.py compare exits 0" 0 "$rc"
tshark -r "${files[0]}" -Y frame.comment -T fields -e frame.comment 2>/dev/null >"$LAB_TMP/comments.txt"
check_eq "comments: 4 drops by rule e2e-drop-echo-b" 4 \
    "$(grep -c 'verdict=drop reason=rule rule=e2e-drop-echo-b limiter=- in=gw-c out=gw-r2 ' "$LAB_TMP/comments.txt")"
check_eq "comments: 6 requests accepted by e2e-echo" 6 "$(grep -c 'verdict=accept reason=rule rule=e2e-echo ' "$LAB_TMP/comments.txt")"
check_eq "comments: 6 replies accepted by e2e-echo-reply, from gw-r2 to gw-c" 6 \
    "$(grep -c 'verdict=accept reason=rule rule=e2e-echo-reply limiter=- in=gw-r2 out=gw-c ' "$LAB_TMP/comments.txt")"
check_eq "log: 16 verdict records" 16 "$(eve count "$IG_LOG" event_type=alert)"
check_contains "exit summary: capture counters" \
    "capture: written 16, dropped (queue full) 0, lost to write errors 0, failed writes 0, files opened 1, files removed 0" "$IG_ERR"
check_contains "metrics: icmpgate_capture_packets_written_total" "icmpgate_capture_packets_written_total 16" "$LAB_TMP/icmpgate.prom"
check_contains "metrics: no packet dropped from the capture" 'icmpgate_capture_packets_dropped_total{reason="queue-full"} 0' \
    "$LAB_TMP/icmpgate.prom"
check_eq "the last stats event: stats.icmpgate.capture.written" 16 \
    "$(grep '"event_type":"stats"' "$IG_LOG" | tail -n 1 | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["stats"]["icmpgate"]["capture"]["written"])')"

"$PY" "$REPO_DIR/tests/golden/log_schema_check.py" "$REPO_DIR" "$ICMPGATE" "$IG_LOG" >"$LAB_TMP/schema.out" 2>&1
schema_rc=$?
check_true "log: every line (alerts, stats with the capture counters) valid against docs/log.schema.json and Suricata's" \
    "$(grep -v '^ok' "$LAB_TMP/schema.out" | tail -n 6)" schema_held "$schema_rc"

# icmpgate replay reads the files back (libpcap) and decides each packet as its comment says.
"$ICMPGATE" replay --policy "$POLICY" "${files[0]}" >"$LAB_TMP/replay.json" 2>"$LAB_TMP/replay.err"
check_eq "icmpgate replay reads the capture (exit 0)" 0 "$?"
check_eq "replay: 16 records" 16 "$(wc -l <"$LAB_TMP/replay.json")"
"$PY" - "$LAB_TMP/replay.json" "$LAB_TMP/comments.txt" >"$LAB_TMP/replayed.out" <<'PYEOF'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
comments = [dict(w.split("=", 1) for w in l.split()[1:]) for l in open(sys.argv[2]) if l.strip()]
same = sum(1 for r, c in zip(records, comments)
           if (r["verdict"]["action"], r["icmpgate"]["reason"], r["icmpgate"]["rule"] or "-") ==
              (c["verdict"], c["reason"], c["rule"]))
print(f"{same} of {len(records)} records as their comments, {len(comments)} comments")
PYEOF
check_eq "replay: every frame decided as its comment says" "16 of 16 records as their comments, 16 comments" \
    "$(cat "$LAB_TMP/replayed.out")"

# ---- the default: drops only; a ring of one file that a restart continues
DROPS="$LAB_TMP/captures-drop"
for run in 1 2; do
    : >"$IG_LOG" # this run's records only
    start_icmpgate "$POLICY" --capture "$DROPS" --capture-files 1 --capture-size 1 ||
        lab_abort start_icmpgate "$(cat "$IG_ERR")"
    pings
    stop_icmpgate
    check_contains "run $run: exit summary counts 4 captured drops" "capture: written 4, dropped (queue full) 0" "$IG_ERR"
done
mapfile -t files < <(ls "$DROPS"/*.pcapng 2>/dev/null)
check_eq "the ring of one file: the second run's file only" "icmpgate-00000002-" "$(basename "${files[0]:-none}" | cut -c1-18)"
check_eq "one file in the ring" 1 "${#files[@]}"
check_contains "the second run removed the first run's file" "files opened 1, files removed 1" "$IG_ERR"
check_eq "drops only: 4 packets, all dropped" "4 4" \
    "$("$PY" "$E2E_DIR/capture_comments.py" count "${files[@]}") $(tshark -r "${files[0]}" -Y frame.comment -T fields -e frame.comment 2>/dev/null | grep -c 'verdict=drop reason=rule rule=e2e-drop-echo-b ')"
"$PY" "$E2E_DIR/capture_comments.py" compare "$IG_LOG" "${files[@]}" >"$LAB_TMP/compare.out"
check_eq "the drops' comments match their log records" "captured 4, matched 4, faults 0" "$(head -n 1 "$LAB_TMP/compare.out")"

# ---- a full disk: 64 KiB of tmpfs hold a few hundred packets of a 2 x 400 packet ping flood
FULL="$LAB_TMP/full"
mkdir -p "$FULL"
mount -t tmpfs -o size=64k tmpfs "$FULL" || lab_abort "tmpfs" "cannot mount a tmpfs on $FULL"
: >"$IG_LOG"
start_icmpgate "$POLICY" --capture "$FULL/captures" --capture-verdicts all || lab_abort start_icmpgate "$(cat "$IG_ERR")"
out=$(in_ns client timeout 20 ping -q -c 400 -i 0.002 -W 1 -I "$CLIENT4" "$SERVER4")
check_eq "full disk: every ping answered (the capture never holds a verdict back)" 400 "$(ping_received <<<"$out")"
wait_log_quiet
stop_icmpgate
check_eq "full disk: icmpgate exits 0" 0 "$IG_EXIT"
records=$(eve count "$IG_LOG" event_type=alert)
read -r written queue_full write_error write_errors < <(sed -n \
    's/.*capture: written \([0-9]*\), dropped (queue full) \([0-9]*\), lost to write errors \([0-9]*\), failed writes \([0-9]*\).*/\1 \2 \3 \4/p' "$IG_ERR")
echo "full disk: $records verdicts; written $written, queue full $queue_full, lost to write errors $write_error ($write_errors failed writes)"
check_eq "full disk: 800 verdicts logged" 800 "$records"
check_eq "full disk: written + dropped (queue full) + lost to write errors = every verdict" 800 \
    "$((${written:-0} + ${queue_full:-0} + ${write_error:-0}))"
check_true "full disk: some packets written, some lost to write errors, each failed write counted" \
    "written $written, lost $write_error, failed writes $write_errors" \
    test "${written:-0}" -gt 0 -a "${write_error:-0}" -gt 0 -a "${write_errors:-0}" -gt 0
mapfile -t files < <(ls "$FULL"/captures/*.pcapng 2>/dev/null)
check_eq "full disk: tshark reads exactly the packets counted as written" "${written:-none}" \
    "$(tshark -r "${files[0]}" -T fields -e frame.number 2>"$LAB_TMP/tshark.err" | wc -l)"
check_eq "full disk: tshark finds no damage in the file" "" "$(grep -v -i 'running as user' "$LAB_TMP/tshark.err")"
"$PY" "$E2E_DIR/capture_comments.py" compare "$IG_LOG" "${files[@]}" >"$LAB_TMP/compare.out"
check_eq "full disk: every written packet's comment matches its record" \
    "captured ${written:-none}, matched ${written:-none}, faults 0" "$(head -n 1 "$LAB_TMP/compare.out")"
umount "$FULL" && FULL=""
lab_finish
