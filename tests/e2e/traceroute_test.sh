#!/bin/bash
# traceroute through icmpgate (issue 3, "End-to-end tests"): UDP mode (the default) and ICMP mode
# (-I), IPv4 and IPv6, show every hop: gw answers from its own stack (its Time Exceeded never crosses
# FORWARD), r2's and r3's Time Exceeded cross gw's FORWARD chain and must be accepted, and the last
# hop is the server (UDP mode: its Port Unreachable, accepted too; ICMP mode: its Echo Reply).
# Probes go one at a time (-N 1) so each trace makes exactly one message per hop: the log counts
# are exact.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

TRACE_OPTS=(-n -q 1 -w 1 -N 1 -m 8)

# hops FAMILY MODE...: the addresses traceroute printed, one per hop, space separated ("*" if none)
hops() {
    local fam=$1
    shift
    local target=$SERVER4
    [[ $fam == 6 ]] && target=$SERVER6
    in_ns client timeout 30 traceroute "-$fam" "${TRACE_OPTS[@]}" "$@" "$target" 2>&1 |
        tee -a "$LAB_TMP/traces" | awk '$1 ~ /^[0-9]+$/ {printf "%s%s", sep, $2; sep = " "}'
}

lab_up || lab_abort lab_up "could not build the lab"
queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"

check_eq "v4 traceroute (UDP) shows every hop" "$GW4_C $R2_4 $R3_4 $SERVER4" "$(hops 4)"
check_eq "v4 traceroute -I (ICMP) shows every hop" "$GW4_C $R2_4 $R3_4 $SERVER4" "$(hops 4 -I)"
check_eq "v6 traceroute (UDP) shows every hop" "$GW6_C $R2_6 $R3_6 $SERVER6" "$(hops 6)"
check_eq "v6 traceroute -I (ICMP) shows every hop" "$GW6_C $R2_6 $R3_6 $SERVER6" "$(hops 6 -I)"

# Per family: r2 and r3 each sent one Time Exceeded per trace (2 traces), the server one Port
# Unreachable (UDP trace) and one Echo Reply (ICMP trace).
wait_log_quiet
for fam in 4 6; do
    if [[ $fam == 4 ]]; then
        te=(icmp_type=11 icmp_code=0) unreach=(icmp_type=3 icmp_code=3) reply=(icmp_type=0)
        r2=$R2_4 r3=$R3_4 server=$SERVER4 client=$CLIENT4
    else
        te=(icmp_type=3 icmp_code=0) unreach=(icmp_type=1 icmp_code=4) reply=(icmp_type=129)
        r2=$R2_6 r3=$R3_6 server=$SERVER6 client=$CLIENT6
    fi
    for router in "$r2" "$r3"; do
        total=$(eve count "$IG_LOG" ip_v=$fam src_ip="$router" dest_ip="$client" "${te[@]}")
        ok=$(( $(eve count "$IG_LOG" ip_v=$fam src_ip="$router" dest_ip="$client" "${te[@]}" verdict.action=accept icmpgate.reason=protected) +
               $(eve count "$IG_LOG" ip_v=$fam src_ip="$router" dest_ip="$client" "${te[@]}" verdict.action=accept icmpgate.reason=rule) ))
        check_eq "log: v$fam Time Exceeded from $router: 2 records" 2 "$total"
        check_eq "log: v$fam Time Exceeded from $router accepted (reason protected or rule)" 2 "$ok"
    done
    check_eq "log: v$fam UDP traceroute's Port Unreachable from the server accepted" 1 \
        "$(eve count "$IG_LOG" ip_v=$fam src_ip="$server" "${unreach[@]}" verdict.action=accept icmpgate.embedded.proto=UDP)"
    check_eq "log: v$fam ICMP traceroute's Echo Reply from the server accepted" 1 \
        "$(eve count "$IG_LOG" ip_v=$fam src_ip="$server" "${reply[@]}" verdict.action=accept)"
done
check_eq "log: nothing from gw itself (its own Time Exceeded does not cross FORWARD)" 0 \
    $(( $(eve count "$IG_LOG" src_ip="$GW4_C") + $(eve count "$IG_LOG" src_ip="$GW6_C") ))
check_eq "log: no drops during the traces" 0 "$(eve count "$IG_LOG" verdict.action=drop)"
if ((LAB_FAILS > 0)); then echo "traces:"; cat "$LAB_TMP/traces"; echo "log:"; eve table "$IG_LOG"; fi
stop_icmpgate
lab_finish
