#!/bin/bash
# Queue overflow is counted (docs/operations.md, "Bypassed packets"). With fail-open (the
# default) the kernel accepts uninspected what does not fit in the queue (--queue-maxlen) or in
# the daemon's socket buffer (--rcvbuf), and counts it nowhere; the daemon compares the queue
# rules' counters with what it received: icmpgate_nfqueue_bypassed_total, stats.icmpgate.bypass.bypassed
# and the exit summary (two queue rules: raw for the echo requests, FORWARD for the rest). Each run stops the daemon (SIGSTOP), sends a bounded burst of N echo
# requests client -> server through gw (r2 drops them, so nothing comes back to be queued), then
# continues and stops it:
#   1. fail-open, queue full: --queue-maxlen 100: the daemon receives 100, bypassed = N - 100
#      (exactly rules_queued - received), the kernel's queue_dropped and user_dropped stay 0;
#   2. fail-open, socket buffer full: --rcvbuf 65536 (the kernel doubles it), --queue-maxlen 16384:
#      fewer than N reach the daemon, ENOBUFS is reported, bypassed = N - received (exact);
#   3. fail-closed (--no-fail-open), queue full: the kernel drops the excess and counts it in
#      queue_dropped (N - 100); bypassed = 0.
# And --log-rate over two queues (--queue 0:1): 400 echo requests of 16 flows from two sources
# (one queue per source), all dropped by one rule while the daemon was stopped,
# give exactly --log-rate 50 lines for that (rule, reason) in the window, not 50 per queue, and one
# log_suppressed event with the other 350.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

N=1000
MAXLEN=100
IG_STATS_INTERVAL=3600  # no periodic event during the run; one is written at exit

metric() { # NAME: its value in the metrics file (one series without labels), or "none"
    awk -v n="$1" '$1 == n { print $2; found = 1 } END { if (!found) print "none" }' "$LAB_TMP/metrics.prom"
}
last_stats() { # DOTTED.KEY: from the last stats event in the log
    "$PY" - "$IG_LOG" "$1" <<'EOF'
import json, sys
last = None
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    if record.get("event_type") == "stats":
        last = record
node = last["stats"] if last else {}
for part in sys.argv[2].split("."):
    node = node.get(part, {}) if isinstance(node, dict) else {}
print(node if node != {} else "none")
EOF
}
kernel_column() { # COLUMN of /proc/net/netfilter/nfnetlink_queue for queue 0 (6 queue_dropped, 7 user_dropped)
    in_ns gw awk -v c="$1" '$1 == 0 { print $c }' /proc/net/netfilter/nfnetlink_queue
}

# burst_run LABEL ICMPGATE-ARGS...: one stopped-daemon burst; leaves the figures in variables.
burst_run() {
    local label=$1
    shift
    rm -f "$IG_LOG" "$LAB_TMP/metrics.prom"
    start_icmpgate "$DEFAULT_POLICY" --metrics-file "$LAB_TMP/metrics.prom" --metrics-interval 3600 "$@" ||
        lab_abort "$label: start_icmpgate" "$(cat "$IG_ERR")"
    kill -STOP "$IG_PID"
    # 1 ms apart: about a second, bounded by the count. No replies (r2 drops the requests).
    in_ns client timeout 20 ping -n -q -c "$N" -i 0.001 -W 1 "$SERVER4" >/dev/null 2>&1
    sleep 0.2
    queue_dropped=$(kernel_column 6)
    user_dropped=$(kernel_column 7)
    kill -CONT "$IG_PID"
    wait_log_quiet
    stop_icmpgate
    received=$(sed -n 's/^  queue 0: received \([0-9]*\),.*/\1/p' "$IG_ERR")
    enobufs=$(sed -n 's/^  queue 0: .*, enobufs \([0-9]*\),.*/\1/p' "$IG_ERR")
    summary=$(grep '^  queue rules:' "$IG_ERR")
    queued=$(metric icmpgate_nfqueue_rules_queued_total)
    bypassed=$(metric icmpgate_nfqueue_bypassed_total)
    check_eq "$label: daemon exit status" 0 "$IG_EXIT"
    check_eq "$label: the rules queued the $N requests (icmpgate_nfqueue_rules_queued_total)" "$N" "$queued"
    check_eq "$label: the exit summary says the same" \
        "  queue rules: 2 (0 without a counter), packets they queued $queued, bypassed uninspected (fail-open or no listener) $bypassed" "$summary"
    check_eq "$label: the stats event at exit says the same" "$queued $bypassed" \
        "$(last_stats icmpgate.bypass.rules_queued) $(last_stats icmpgate.bypass.bypassed)"
}

lab_up || lab_abort lab_up "could not build the lab"
in_ns r2 iptables -A FORWARD -p icmp -s "$CLIENT4" -d "$SERVER4" -j DROP
shipped_rules_install --family 4 --queues 0 || lab_abort rules "icmpgate-rules.sh install failed"

burst_run "fail-open, queue full" --queue-maxlen "$MAXLEN"
check_eq "fail-open, queue full: the daemon received what the queue held" "$MAXLEN" "$received"
check_eq "fail-open, queue full: bypassed = rules_queued - received" $((queued - received)) "$bypassed"
check_eq "fail-open, queue full: bypassed = N - maxlen" $((N - MAXLEN)) "$bypassed"
check_eq "fail-open, queue full: the kernel's queue_dropped and user_dropped show nothing" "0 0" "$queue_dropped $user_dropped"

burst_run "fail-open, socket buffer full" --queue-maxlen 16384 --rcvbuf 65536
check_true "fail-open, socket buffer full: fewer than $N reached the daemon (received $received)" \
    "the socket buffer held them all" test "${received:-$N}" -lt "$N"
# How many ENOBUFS the kernel reports depends on when the buffer filled: at least one.
check_ge "fail-open, socket buffer full: ENOBUFS reported" 1 "$enobufs"
check_eq "fail-open, socket buffer full: bypassed = rules_queued - received" $((queued - received)) "$bypassed"
check_eq "fail-open, socket buffer full: the kernel's queue_dropped and user_dropped show nothing" "0 0" "$queue_dropped $user_dropped"
echo "socket buffer of 128 KiB (--rcvbuf 65536, doubled by the kernel) held $received queued 84-byte packets"

burst_run "fail-closed, queue full" --queue-maxlen "$MAXLEN" --no-fail-open
check_eq "fail-closed, queue full: the daemon received what the queue held" "$MAXLEN" "$received"
check_eq "fail-closed, queue full: the kernel counts the excess as queue_dropped" $((N - MAXLEN)) "$queue_dropped"
check_eq "fail-closed, queue full: nothing bypassed" 0 "$bypassed"

# --- --log-rate: one budget per (rule, reason) across queue threads -------------------------------
FLOWS=16
PER_FLOW=25
LOG_RATE=50
# Queue by source address, so both queues surely get half the flows (--queue-balance hashes the
# address pair only: every flow client -> server would land in one queue).
in_ns gw bash "$REPO_DIR/deploy/iptables/icmpgate-rules.sh" uninstall
in_ns gw iptables -t raw -A PREROUTING -p icmp -s "$CLIENT4" -j NFQUEUE --queue-num 0
in_ns gw iptables -t raw -A PREROUTING -p icmp -s "$CLIENT4_B" -j NFQUEUE --queue-num 1
rm -f "$IG_LOG"
IG_QUEUES=0:1 IG_LOG_RATE=$LOG_RATE start_icmpgate "$E2E_DIR/policies/drop-echo.json" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
kill -STOP "$IG_PID"
pids=()
for ((f = 0; f < FLOWS; f++)); do  # each ping process is one flow (its own identifier)
    source=$CLIENT4
    ((f % 2 == 0)) || source=$CLIENT4_B
    in_ns client timeout 10 ping -n -q -I "$source" -c "$PER_FLOW" -i 0.01 -W 0.1 "$SERVER4" >/dev/null 2>&1 &
    pids+=($!)
done
wait "${pids[@]}"
check_eq "log-rate: the $((FLOWS * PER_FLOW)) requests waited in queues 0 and 1" $((FLOWS * PER_FLOW)) "$(queue_waiting)"
kill -CONT "$IG_PID"
sleep 1.5  # the window ends; a queue thread writes the summary of what it suppressed
wait_log_quiet
stop_icmpgate
q0=$(sed -n 's/^  queue 0: received \([0-9]*\),.*/\1/p' "$IG_ERR")
q1=$(sed -n 's/^  queue 1: received \([0-9]*\),.*/\1/p' "$IG_ERR")
check_eq "log-rate: each queue received its source's $((FLOWS / 2 * PER_FLOW)) requests, more than the budget" \
    "$((FLOWS / 2 * PER_FLOW)) $((FLOWS / 2 * PER_FLOW))" "${q0:-none} ${q1:-none}"
check_eq "log-rate: $LOG_RATE lines for the rule in the window, over both queues" "$LOG_RATE" \
    "$(eve count "$IG_LOG" event_type=alert icmpgate.rule=e2e-drop-echo)"
check_eq "log-rate: one log_suppressed event for the rest" \
    "1 $((FLOWS * PER_FLOW - LOG_RATE))" \
    "$(eve count "$IG_LOG" event_type=icmpgate icmpgate.event=log_suppressed icmpgate.rule=e2e-drop-echo) $("$PY" -c '
import json, sys
print(sum(r["icmpgate"].get("lines_suppressed", 0) for r in map(json.loads, open(sys.argv[1]))
          if r.get("event_type") == "icmpgate" and r["icmpgate"].get("event") == "log_suppressed"))' "$IG_LOG")"
lab_finish
