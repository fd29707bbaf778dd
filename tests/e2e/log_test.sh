#!/bin/bash
# The verdict log (issue 3, "End-to-end tests"; fields per docs/log-format.md): a known set of
# packets crosses gw (5 pings v4, 5 pings v6, one UDP traceroute v4 with one probe per hop) and the
# log holds exactly one correct record per packet that crossed FORWARD: every line a JSON object with
# the required fields (eve.py check), counts exact by type and verdict, interfaces, echo ids and
# sequence numbers, the policy digest `icmpgate check` reports, queue 0 and distinct packet ids.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

PINGS=5

lab_up || lab_abort lab_up "could not build the lab"
eval "$("$PY" "$E2E_DIR/policy_facts.py" "$DEFAULT_POLICY")" || ECHO_RATE=1 ECHO_BURST=1
interval=$("$PY" -c "print(0.2 if $PINGS <= $ECHO_BURST else max(0.2, 1.2 / $ECHO_RATE))")
digest=$("$ICMPGATE" check "$DEFAULT_POLICY" | sed -n 's/^digest: //p')
queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"

out4=$(in_ns client ping -c $PINGS -i "$interval" -W 1 "$SERVER4")
out6=$(in_ns client ping -6 -c $PINGS -i "$interval" -W 1 "$SERVER6")
trace=$(in_ns client timeout 30 traceroute -n -q 1 -w 1 -N 1 -m 8 "$SERVER4" 2>&1)
check_eq "v4 pings answered" $PINGS "$(ping_received <<<"$out4")"
check_eq "v6 pings answered" $PINGS "$(ping_received <<<"$out6")"
check_eq "traceroute reached the server at hop 4" "4 $SERVER4" "$(awk 'END {print $1, $2}' <<<"$trace")"

# 5+5 echo requests and replies per family, plus the trace's r2 and r3 Time Exceeded and the
# server's Port Unreachable (gw's own Time Exceeded for hop 1 does not cross FORWARD).
expected=$((4 * PINGS + 3))
wait_log_lines $expected
sleep 0.5 # a record too many would arrive now
check_eq "log: one record per packet that crossed gw" $expected "$(wc -l <"$IG_LOG")"
eve check "$IG_LOG" >"$LAB_TMP/check.out"
check_rc=$?
check_true "log: every line a JSON object with the documented fields" "$(tail -n 5 "$LAB_TMP/check.out")" \
    test "$check_rc" -eq 0
check_eq "log: nothing lacks the policy digest of icmpgate check ($digest)" 0 \
    "$(eve count "$IG_LOG" icmpgate.policy!="$digest")"
check_eq "log: every record from queue 0" 0 "$(eve count "$IG_LOG" icmpgate.queue!=0)"
check_eq "log: every record event_type alert" 0 "$(eve count "$IG_LOG" event_type!=alert)"
check_eq "log: packet ids distinct" $expected \
    "$("$PY" -c 'import json,sys; print(len({json.loads(l)["icmpgate"]["packet_id"] for l in open(sys.argv[1])}))' "$IG_LOG")"
check_eq "log: timestamps in EVE form" 0 "$("$PY" -c '
import json, re, sys
form = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d{4}$")
print(sum(1 for l in open(sys.argv[1]) if not form.match(json.loads(l)["timestamp"])))' "$IG_LOG")"

for fam in 4 6; do
    if [[ $fam == 4 ]]; then req=8 rep=0 client=$CLIENT4 server=$SERVER4 proto=ICMP
    else req=128 rep=129 client=$CLIENT6 server=$SERVER6 proto=IPv6-ICMP; fi
    check_eq "v$fam log: $PINGS echo requests client->server accepted, in gw-c out gw-r2" $PINGS \
        "$(eve count "$IG_LOG" ip_v=$fam proto=$proto icmp_type=$req icmp_code=0 src_ip="$client" \
            dest_ip="$server" verdict.action=accept in_iface=gw-c icmpgate.out_iface=gw-r2 alert.action=allowed)"
    check_eq "v$fam log: $PINGS echo replies server->client accepted, in gw-r2 out gw-c" $PINGS \
        "$(eve count "$IG_LOG" ip_v=$fam proto=$proto icmp_type=$rep icmp_code=0 src_ip="$server" \
            dest_ip="$client" verdict.action=accept in_iface=gw-r2 icmpgate.out_iface=gw-c)"
    check_eq "v$fam log: request sequence numbers 1..$PINGS, one id" "1 2 3 4 5 / 1" "$("$PY" -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
rs = [r for r in rs if r["ip_v"] == int(sys.argv[2]) and r["icmp_type"] == int(sys.argv[3])]
print(*sorted(r["icmpgate"]["icmp_seq"] for r in rs), "/", len({r["icmpgate"]["icmp_id"] for r in rs}))' "$IG_LOG" $fam $req)"
done
check_eq "log: r2's Time Exceeded, with its quote of the client's UDP probe" 1 \
    "$(eve count "$IG_LOG" ip_v=4 icmp_type=11 icmp_code=0 src_ip="$R2_4" dest_ip="$CLIENT4" verdict.action=accept \
        icmpgate.embedded.proto=UDP icmpgate.embedded.src_ip="$CLIENT4" icmpgate.embedded.dest_ip="$SERVER4" in_iface=gw-r2 icmpgate.out_iface=gw-c)"
check_eq "log: r3's Time Exceeded" 1 \
    "$(eve count "$IG_LOG" ip_v=4 icmp_type=11 icmp_code=0 src_ip="$R3_4" dest_ip="$CLIENT4" verdict.action=accept)"
check_eq "log: the server's Port Unreachable ending the trace" 1 \
    "$(eve count "$IG_LOG" ip_v=4 icmp_type=3 icmp_code=3 src_ip="$SERVER4" dest_ip="$CLIENT4" verdict.action=accept \
        icmpgate.embedded.proto=UDP icmpgate.embedded.src_ip="$CLIENT4")"
check_eq "log: no drops" 0 "$(eve count "$IG_LOG" verdict.action=drop)"
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
check_contains "summary on stderr at exit" "icmpgate: summary" "$IG_ERR"
check_contains "summary counts every packet received" "received $expected," "$IG_ERR"
if ((LAB_FAILS > 0)); then cat "$LAB_TMP/check.out"; eve table "$IG_LOG"; fi
lab_finish
