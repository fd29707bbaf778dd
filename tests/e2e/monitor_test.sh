#!/bin/bash
# Monitor mode in the lab (docs/operations.md, "Monitor: what a rule or a policy would do").
#
# 1. `run --monitor` with a policy that drops echo requests (policies/drop-echo.json, default
#    accept): every ping gets its reply, and the log holds one record per request, accepted
#    (reason monitor) with the would-be drop by rule e2e-drop-echo in icmpgate.monitor, and one
#    per reply with the would-be accept by the default; nothing dropped. The stats event and the
#    exit summary count the would-be drops apart.
# 2. Rules in monitor mode beside an enforced one (a policy written here, default accept):
#    - enforced rule "drop-first-source" drops echo requests from the client's first address:
#      its pings get no reply, logged as drops by that rule with no monitor object;
#    - monitor rule "try-drop-second-source" matches echo requests from the client's second
#      IPv4 address: they still get every reply (the default accepts them) and each record says
#      the rule would have dropped it;
#    - monitor rule "try-burst-2" with its own limiter (burst 2, 0.01/s) matches the second IPv6
#      address: every ping is answered, the first two records say it would accept, the rest that
#      its limiter would drop them (rate-limit, limiter try-2);
#    - a SIGHUP after turning "try-drop-second-source" to enforce makes it decide: those pings
#      now fail, logged as drops by that rule.
# Counts are exact: each ping sends its requests 0.2 s apart (-c N), each request and reply is one
# record, and no other ICMP crosses gw's FORWARD chain.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

IG_STATS_INTERVAL=60 # a last stats event at exit
COUNT=4

pings() { # FAMILY SOURCE SERVER: replies received out of COUNT
    in_ns client ping "-$1" -c "$COUNT" -i 0.2 -W 1 -I "$2" "$3" 2>&1 | ping_received
}
wait_stderr() {
    local i
    for ((i = 0; i < 50; i++)); do grep -qF -- "$1" "$IG_ERR" && return 0; sleep 0.1; done
    return 1
}
since() { # LINE: the log from that line on, into $LAB_TMP/part.json
    wait_log_quiet
    tail -n +"$1" "$IG_LOG" >"$LAB_TMP/part.json"
}

lab_up || lab_abort lab_up "could not build the lab"
queue_rules_install bypass

# ---- 1. run --monitor --------------------------------------------------------------------
start_icmpgate "$E2E_DIR/policies/drop-echo.json" --monitor || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_true "stderr says the daemon monitors" "$(head -n 3 "$IG_ERR" | tr '\n' '|')" \
    grep -q "icmpgate: monitoring queue 0 " "$IG_ERR"
check_eq "--monitor: v4 pings through a drop-echo policy get every reply" "$COUNT" "$(pings 4 "$CLIENT4" "$SERVER4")"
check_eq "--monitor: v6 pings through a drop-echo policy get every reply" "$COUNT" "$(pings 6 "$CLIENT6" "$SERVER6")"
since 1
for fam in 4 6; do
    if [[ $fam == 4 ]]; then src=$CLIENT4 dst=$SERVER4 req=8 rep=0; else src=$CLIENT6 dst=$SERVER6 req=128 rep=129; fi
    check_eq "--monitor: v$fam each echo request logged accepted, a would-be drop by e2e-drop-echo" "$COUNT" \
        "$(eve count "$LAB_TMP/part.json" src_ip="$src" dest_ip="$dst" icmp_type=$req verdict.action=accept \
            alert.action=allowed icmpgate.reason=monitor icmpgate.rule=null icmpgate.monitor.scope=policy \
            icmpgate.monitor.verdict=drop icmpgate.monitor.reason=rule icmpgate.monitor.rule=e2e-drop-echo)"
    check_eq "--monitor: v$fam each echo reply logged with the would-be accept by the default" "$COUNT" \
        "$(eve count "$LAB_TMP/part.json" src_ip="$dst" dest_ip="$src" icmp_type=$rep verdict.action=accept \
            icmpgate.reason=monitor icmpgate.monitor.verdict=accept icmpgate.monitor.reason=default)"
done
check_eq "--monitor: every record is one of those" $((4 * COUNT)) "$(wc -l <"$LAB_TMP/part.json")"
check_eq "--monitor: nothing dropped" 0 "$(eve count "$LAB_TMP/part.json" verdict.action=drop)"
stop_icmpgate
check_eq "--monitor: icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
check_true "--monitor: the exit summary counts the would-be drops" "$(grep would-be "$IG_ERR")" \
    grep -qF "would-be (monitor mode): $((2 * COUNT)) accepted, $((2 * COUNT)) dropped; dropped by rule $((2 * COUNT))" "$IG_ERR"
stats_would_be=$("$PY" -c "
import json, sys
stats = [json.loads(l) for l in open(sys.argv[1]) if '\"event_type\":\"stats\"' in l][-1]
p = stats['stats']['icmpgate']['packets']
print(p['would_be']['rule']['dropped'], p['would_be']['default']['accepted'], p['by_reason']['monitor']['accepted'],
      p['accepted'], p['dropped'])" "$IG_LOG")
check_eq "--monitor: the last stats event: would-be drops by rule, would-be accepts by default, accepted (monitor), accepted, dropped" \
    "$((2 * COUNT)) $((2 * COUNT)) $((4 * COUNT)) $((4 * COUNT)) 0" "$stats_would_be"
"$PY" "$REPO_DIR/tests/golden/log_schema_check.py" "$REPO_DIR" "$ICMPGATE" "$IG_LOG" >"$LAB_TMP/schema.out" 2>&1
schema_rc=$?
check_true "--monitor: every line valid against both schemas" "$(grep -v '^ok' "$LAB_TMP/schema.out" | tail -n 6)" \
    schema_held "$schema_rc"
grep '"event_type":"alert"' "$IG_LOG" >"$LAB_TMP/alerts.json"
eve check "$LAB_TMP/alerts.json" >"$LAB_TMP/check.out"
check_rc=$?
check_true "--monitor: every verdict record has the fields docs/log-format.md documents" \
    "$(tail -n 4 "$LAB_TMP/check.out")" test "$check_rc" -eq 0

# ---- 2. rules in monitor mode beside an enforced one --------------------------------------
policy="$LAB_TMP/monitor-rules.json"
cat >"$policy" <<POLICY
{
  "version": 1,
  "default_verdict": "accept",
  "rate_limits": { "try-2": { "rate": 0.01, "burst": 2 } },
  "rules": [
    { "id": "drop-first-source", "match": { "type": "echo-request", "source": ["$CLIENT4/32", "$CLIENT6/128"] },
      "verdict": "drop" },
    { "id": "try-drop-second-source", "match": { "type": "echo-request", "source": "$CLIENT4_B/32" },
      "verdict": "drop", "mode": "monitor" },
    { "id": "try-burst-2", "match": { "type": "echo-request", "source": "$CLIENT6_B/128" },
      "verdict": "accept", "rate_limit": "try-2", "mode": "monitor" }
  ]
}
POLICY
: >"$IG_LOG"
start_icmpgate "$policy" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_true "stderr counts the rules in monitor mode" "$(grep filtering "$IG_ERR")" \
    grep -q "3 rules, 2 in monitor mode" "$IG_ERR"
check_eq "monitor rules: the enforced rule drops v4 pings from $CLIENT4" 0 "$(pings 4 "$CLIENT4" "$SERVER4")"
check_eq "monitor rules: pings from $CLIENT4_B get every reply (try-drop-second-source only monitors)" "$COUNT" \
    "$(pings 4 "$CLIENT4_B" "$SERVER4")"
check_eq "monitor rules: pings from $CLIENT6_B get every reply (try-burst-2 only monitors)" "$COUNT" \
    "$(pings 6 "$CLIENT6_B" "$SERVER6")"
since 1
check_eq "monitor rules: the enforced drops logged, with no monitor object" "$COUNT" \
    "$(eve count "$LAB_TMP/part.json" src_ip="$CLIENT4" icmp_type=8 verdict.action=drop icmpgate.reason=rule \
        icmpgate.rule=drop-first-source icmpgate.monitor=~)"
check_eq "monitor rules: each request from $CLIENT4_B accepted by the default, a would-be drop by try-drop-second-source" \
    "$COUNT" "$(eve count "$LAB_TMP/part.json" src_ip="$CLIENT4_B" icmp_type=8 verdict.action=accept \
        icmpgate.reason=default icmpgate.rule=null icmpgate.monitor.scope=rule icmpgate.monitor.verdict=drop \
        icmpgate.monitor.reason=rule icmpgate.monitor.rule=try-drop-second-source)"
check_eq "monitor rules: try-burst-2 would accept the first 2 requests from $CLIENT6_B" 2 \
    "$(eve count "$LAB_TMP/part.json" src_ip="$CLIENT6_B" icmp_type=128 verdict.action=accept icmpgate.reason=default \
        icmpgate.monitor.verdict=accept icmpgate.monitor.reason=rule icmpgate.monitor.rule=try-burst-2)"
check_eq "monitor rules: and would rate-limit the other $((COUNT - 2)) (its own limiter try-2)" $((COUNT - 2)) \
    "$(eve count "$LAB_TMP/part.json" src_ip="$CLIENT6_B" icmp_type=128 verdict.action=accept icmpgate.reason=default \
        icmpgate.monitor.verdict=drop icmpgate.monitor.reason=rate-limit icmpgate.monitor.rule=try-burst-2 \
        icmpgate.monitor.limiter=try-2)"
check_eq "monitor rules: no reply carries a monitor object" 0 \
    "$(eve count "$LAB_TMP/part.json" icmp_type=0 icmpgate.monitor.scope=rule)"

# The monitor rule enforced by a reload.
sed -i 's/"verdict": "drop", "mode": "monitor"/"verdict": "drop", "mode": "enforce"/' "$policy"
lines_before=$(wc -l <"$IG_LOG")
kill -HUP "$IG_PID"
check_true "reload: stderr reports it, one rule left in monitor mode" "$(tail -n 2 "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "3 rules, 1 in monitor mode"
check_eq "reload: try-drop-second-source now enforced: pings from $CLIENT4_B fail" 0 "$(pings 4 "$CLIENT4_B" "$SERVER4")"
since $((lines_before + 1))
check_eq "reload: those requests dropped by try-drop-second-source, no monitor object" "$COUNT" \
    "$(eve count "$LAB_TMP/part.json" src_ip="$CLIENT4_B" icmp_type=8 verdict.action=drop icmpgate.reason=rule \
        icmpgate.rule=try-drop-second-source icmpgate.monitor=~)"
stop_icmpgate
check_eq "monitor rules: icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
grep '"event_type":"alert"' "$IG_LOG" >"$LAB_TMP/alerts.json" # the stats event at exit aside
eve check "$LAB_TMP/alerts.json" >"$LAB_TMP/check.out"
check_rc=$?
check_true "log: every verdict record has the fields docs/log-format.md documents" "$(tail -n 4 "$LAB_TMP/check.out")" \
    test "$check_rc" -eq 0
((LAB_FAILS > 0)) && cat "$IG_ERR"
lab_finish
