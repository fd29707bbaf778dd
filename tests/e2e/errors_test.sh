#!/bin/bash
# ICMP errors through icmpgate (issue 3, "End-to-end tests"): UDP to a closed port on the server
# gets its Port Unreachable back at the client (v4 and v6); hand-made bad messages sent from r2 to
# the client (Redirect, tiny-MTU Frag Needed / Packet Too Big, an error about an error, a quote whose
# source is not the client) are dropped at gw, each with exactly one log record and the expected
# reason, and the client's ICMP counters show none arrived. A well-formed Port Unreachable crafted
# the same way is the control: it must arrive, so "nothing arrived" is not a broken sender.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

CLOSED_PORT=33999

# client_counter NAME: a counter of the client's /proc/net/snmp (IcmpInX) or /proc/net/snmp6.
client_counter() {
    in_ns client cat /proc/net/snmp /proc/net/snmp6 | awk -v name="$1" '
        /^Icmp: / && !header { split($0, names); header = 1; next }
        /^Icmp: / && header { for (i = 2; i <= NF; i++) if ("Icmp" names[i] == name) print $i; next }
        $1 == name { print $2 }'
}
COUNTERS=(IcmpInRedirects IcmpInDestUnreachs Icmp6InRedirects Icmp6InDestUnreachs Icmp6InPktTooBigs)
snapshot() { local c; for c in "${COUNTERS[@]}"; do echo "$c $(client_counter "$c")"; done; }
delta() { # NAME: the counter's change between before and after
    echo $(($(awk -v n="$1" '$1 == n {print $2}' "$LAB_TMP/after") - $(awk -v n="$1" '$1 == n {print $2}' "$LAB_TMP/before")))
}

lab_up || lab_abort lab_up "could not build the lab"
# What the policy does with a forwarded Redirect (the default policy: v4 named by a drop rule, v6
# decided by the bad-hop-limit anomaly, since gw's forwarding leaves it hop limit 254).
eval "$("$PY" "$E2E_DIR/policy_facts.py" "$DEFAULT_POLICY")" || lab_abort policy_facts "cannot read $DEFAULT_POLICY"
queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_true "counters readable in the client" "IcmpInDestUnreachs not found" test -n "$(client_counter IcmpInDestUnreachs)"

check_true "v4 UDP to a closed port gets Port Unreachable through gw" "see above" udp_refused "$SERVER4" "$CLOSED_PORT"
check_true "v6 UDP to a closed port gets Port Unreachable through gw" "see above" udp_refused "$SERVER6" "$CLOSED_PORT"
wait_log_lines 2
check_eq "log: v4 Port Unreachable from the server accepted" 1 \
    "$(eve count "$IG_LOG" ip_v=4 icmp_type=3 icmp_code=3 src_ip="$SERVER4" dest_ip="$CLIENT4" verdict.action=accept \
        icmpgate.embedded.proto=UDP icmpgate.embedded.src_ip="$CLIENT4" icmpgate.embedded.dest_ip="$SERVER4" icmpgate.embedded.dest_port=$CLOSED_PORT)"
check_eq "log: v6 Port Unreachable from the server accepted" 1 \
    "$(eve count "$IG_LOG" ip_v=6 icmp_type=1 icmp_code=4 src_ip="$SERVER6" dest_ip="$CLIENT6" verdict.action=accept \
        icmpgate.embedded.proto=UDP icmpgate.embedded.src_ip="$CLIENT6" icmpgate.embedded.dest_ip="$SERVER6" icmpgate.embedded.dest_port=$CLOSED_PORT)"

GW_MAC=$(ip -n "$(ns_name gw)" -j link show gw-r2 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
snapshot >"$LAB_TMP/before"
wait_log_quiet # the log writer lingers up to 10 ms: count only lines already written
lines_before=$(wc -l <"$IG_LOG")
KINDS=(redirect4 tinymtu4 errorerror4 spoofed4 good4 redirect6 tinymtu6 errorerror6 spoofed6 good6)
if ! in_ns r2 timeout 30 "$PY" "$E2E_DIR/craft.py" r2-gw "$GW_MAC" "$R2_4" "$R2_6" "$CLIENT4" "$CLIENT6" \
    "$SERVER4" "$SERVER6" "${KINDS[@]}" >"$LAB_TMP/craft.out" 2>&1; then
    lab_abort "craft.py sends from r2" "$(cat "$LAB_TMP/craft.out")"
fi
wait_log_lines $((lines_before + ${#KINDS[@]}))
sleep 0.5 # a record too many would come now
snapshot >"$LAB_TMP/after"
tail -n +$((lines_before + 1)) "$IG_LOG" >"$LAB_TMP/crafted.json"
check_eq "log: one record per crafted packet" "${#KINDS[@]}" "$(wc -l <"$LAB_TMP/crafted.json")"

expect() { # NAME EXPECTED_REASON SOURCE FILTERS...: exactly one record from SOURCE with these fields
    local name=$1 reason=$2 source=$3
    shift 3
    check_eq "crafted $name: dropped at gw, reason $reason" 1 \
        "$(eve count "$LAB_TMP/crafted.json" src_ip="$source" "$@" verdict.action=drop icmpgate.reason="$reason")"
}
expect "v4 redirect" "$REDIRECT4_REASON" "$R2_4" icmp_type=5 icmp_code=1 icmpgate.rule="${REDIRECT4_RULE:-null}"
expect "v4 Frag Needed with MTU 40" anomaly:implausible-mtu "$R2_4" icmp_type=3 icmp_code=4 icmpgate.mtu=40 icmpgate.rule=null
expect "v4 error about an error" anomaly:error-about-error "$R2_4" icmp_type=3 icmp_code=1
expect "v4 spoofed quote" anomaly:embedded-mismatch "$R2_4" icmp_type=3 icmp_code=3 icmpgate.embedded.src_ip=192.0.2.99
expect "v6 redirect" "$REDIRECT6_REASON" "$R2_6" icmp_type=137 icmpgate.rule="${REDIRECT6_RULE:-null}"
expect "v6 Packet Too Big with MTU 1000" anomaly:implausible-mtu "$R2_6" icmp_type=2 icmpgate.mtu=1000
expect "v6 error about an error" anomaly:error-about-error "$R2_6" icmp_type=1 icmp_code=3
expect "v6 spoofed quote" anomaly:embedded-mismatch "$R2_6" icmp_type=1 icmp_code=4 icmpgate.embedded.src_ip=2001:db8:1::99
check_eq "crafted v4 control Port Unreachable accepted" 1 \
    "$(eve count "$LAB_TMP/crafted.json" src_ip="$R2_4" icmp_type=3 icmp_code=3 verdict.action=accept icmpgate.embedded.src_ip="$CLIENT4")"
check_eq "crafted v6 control Port Unreachable accepted" 1 \
    "$(eve count "$LAB_TMP/crafted.json" src_ip="$R2_6" icmp_type=1 icmp_code=4 verdict.action=accept icmpgate.embedded.src_ip="$CLIENT6")"

check_eq "client received no v4 Redirect" 0 "$(delta IcmpInRedirects)"
check_eq "client received no v6 Redirect" 0 "$(delta Icmp6InRedirects)"
check_eq "client received no v6 Packet Too Big" 0 "$(delta Icmp6InPktTooBigs)"
check_eq "client received only the control v4 Destination Unreachable" 1 "$(delta IcmpInDestUnreachs)"
check_eq "client received only the control v6 Destination Unreachable" 1 "$(delta Icmp6InDestUnreachs)"
# eve.py check fails on a record with a fault and on an empty log ("0 records, 0 with faults").
eve check "$IG_LOG" >"$LAB_TMP/check.out"
check_rc=$?
check_true "log: every record has the fields docs/log-format.md documents" "$(tail -n 4 "$LAB_TMP/check.out")" \
    test "$check_rc" -eq 0
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
lab_finish
