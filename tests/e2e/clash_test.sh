#!/bin/bash
# Bursts of one new ICMP flow through a gateway with connection tracking (docs/deployment.md,
# "Placement: connection tracking and the queue"). gw runs a stateful filter (conntrack INVALID
# dropped, RELATED,ESTABLISHED accepted) and the shipped rules (icmpgate-rules.sh --chains
# forward,input, queues 0:1). The race is made deterministic: the daemon is stopped (SIGSTOP)
# while a burst of one flow waits in the queue, then continued, so every packet of the burst is
# queued before the first is verdicted. Had the rules queued the flow's first packets after
# conntrack, each would carry its own unconfirmed entry and all but the first would be dropped at
# confirmation (insert_failed). Checked without NAT and through masquerade, both families: ping
# (5 of 5 replies, insert_failed unchanged, the 5 requests really waited together) and
# `traceroute -I`, whose parallel probes share one identifier (every hop shown). Then with
# --chains forward and --chains input alone: a ping to the gateway and one to the server, each
# inspected only under the selection it belongs to.
# IG_RULES_SCRIPT=other-rules.sh runs the same checks against other rules (docs/testing.md).
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

IG_QUEUES=0:1
BURST=5
PAUSE_SECONDS=0.5

# echo_records FAMILY TYPE: accepted echo records client -> server (TYPE request) or back (reply),
# with the client's own address (through masquerade too: queued before the source is rewritten).
echo_records() {
    local fam=$1 src=$CLIENT4 dst=$SERVER4 type=8
    [[ $fam == 6 ]] && src=$CLIENT6 dst=$SERVER6 type=128
    [[ $2 == reply ]] && { local swap=$src; src=$dst dst=$swap type=$((type == 8 ? 0 : 129)); }
    eve count "$IG_LOG" ip_v="$fam" src_ip="$src" dest_ip="$dst" icmp_type="$type" verdict.action=accept
}

# burst FAMILY LABEL: ping -c $BURST -i 0.05 to the server while the daemon is stopped.
burst() {
    local fam=$1 label=$2 target=$SERVER4 failed_before waiting out requests_before replies_before
    [[ $fam == 6 ]] && target=$SERVER6
    wait_log_quiet
    requests_before=$(echo_records "$fam" request) replies_before=$(echo_records "$fam" reply)
    failed_before=$(conntrack_stat insert_failed)
    kill -STOP "$IG_PID"
    in_ns client ping "-$fam" -n -c "$BURST" -i 0.05 -W 3 "$target" >"$LAB_TMP/ping.out" 2>&1 &
    local ping_pid=$!
    sleep "$PAUSE_SECONDS"
    waiting=$(queue_waiting)
    kill -CONT "$IG_PID"
    wait "$ping_pid"
    out=$(cat "$LAB_TMP/ping.out")
    check_eq "$label v$fam: the $BURST echo requests waited in the queue together" "$BURST" "$waiting"
    check_eq "$label v$fam: $BURST of $BURST replies to a burst queued together" "$BURST" "$(ping_received <<<"$out")" ||
        echo "$out"
    check_eq "$label v$fam: conntrack insert_failed unchanged by the burst" "$failed_before" "$(conntrack_stat insert_failed)"
    wait_log_quiet
    check_eq "$label v$fam log: the burst's $BURST requests and $BURST replies accepted, with the client's own address" \
        "$BURST $BURST" "$(($(echo_records "$fam" request) - requests_before)) $(($(echo_records "$fam" reply) - replies_before))"
}

# trace FAMILY LABEL: traceroute -I (16 parallel probes, one identifier) while the daemon is stopped.
trace() {
    local fam=$1 label=$2 target=$SERVER4 expected="$GW4_C $R2_4 $R3_4 $SERVER4" hops
    if [[ $fam == 6 ]]; then target=$SERVER6 expected="$GW6_C $R2_6 $R3_6 $SERVER6"; fi
    kill -STOP "$IG_PID"
    in_ns client timeout 20 traceroute "-$fam" -I -n -q 1 -w 3 -m 8 "$target" >"$LAB_TMP/trace.out" 2>&1 &
    local trace_pid=$!
    sleep "$PAUSE_SECONDS"
    kill -CONT "$IG_PID"
    wait "$trace_pid"
    hops=$(awk '$1 ~ /^[0-9]+$/ {printf "%s%s", sep, $2; sep = " "}' "$LAB_TMP/trace.out")
    check_eq "$label v$fam: traceroute -I with its probes queued together shows every hop" "$expected" "$hops" ||
        cat "$LAB_TMP/trace.out"
}

lab_up || lab_abort lab_up "could not build the lab"
gateway_filter_install
shipped_rules_install --chains forward,input --queues "$IG_QUEUES" || lab_abort rules "icmpgate-rules.sh install failed"
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"

for fam in 4 6; do burst "$fam" "routed"; done
for fam in 4 6; do trace "$fam" "routed"; done
masquerade_install
for fam in 4 6; do burst "$fam" "masquerade"; done
for fam in 4 6; do trace "$fam" "masquerade"; done

# What the daemon saw (each burst's records are counted exactly in burst()); nothing was dropped.
wait_log_quiet
check_eq "log: no drops" 0 "$(eve count "$IG_LOG" verdict.action=drop)"

# Queries are told apart by destination in raw PREROUTING: to one of the gateway's own addresses
# (--chains input) or routed onwards (--chains forward). One ping each way, per selection.
requests_to() { # FAMILY ADDRESS: echo requests logged so far with that destination
    local type=8
    [[ $1 == 6 ]] && type=128
    eve count "$IG_LOG" ip_v="$1" icmp_type=$type dest_ip="$2"
}
for chains in forward input; do
    shipped_rules_install --chains "$chains" --queues "$IG_QUEUES" || fail "reinstall --chains $chains" "install failed"
    for fam in 4 6; do
        if [[ $fam == 4 ]]; then own=$GW4_C server=$SERVER4; else own=$GW6_C server=$SERVER6; fi
        before_own=$(requests_to "$fam" "$own") before_server=$(requests_to "$fam" "$server")
        in_ns client ping "-$fam" -n -q -c 1 -W 2 "$own" >/dev/null
        in_ns client ping "-$fam" -n -q -c 1 -W 2 "$server" >/dev/null
        wait_log_quiet
        if [[ $chains == forward ]]; then want="0 1"; else want="1 0"; fi
        check_eq "--chains $chains, v$fam: queries inspected (to the gateway, transit)" "$want" \
            "$(($(requests_to "$fam" "$own") - before_own)) $(($(requests_to "$fam" "$server") - before_server))"
    done
done
stop_icmpgate
lab_finish
