#!/bin/bash
# A NAT gateway as docs/deployment.md describes it ("NAT"): gw masquerades everything leaving
# towards r2, IPv4 and IPv6, behind a stateful filter (conntrack INVALID dropped, RELATED,ESTABLISHED
# accepted), with the shipped rules (icmpgate-rules.sh --chains forward,input, queues 0:1) and the
# default policy. Per family: ping, traceroute -I and UDP traceroute show every hop, a 2 MiB upload
# crosses the 1280-byte r2--r3 link (path MTU discovery through NAT: r2's Fragmentation Needed /
# Packet Too Big reach the client), and UDP to a closed port gets its Port Unreachable. The records
# show what the placement promises: requests with the client's own (inside) address, queued before
# the source is rewritten; errors with the inside address as destination and in the quote, NAT
# undone before FORWARD; the masqueraded address nowhere.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

IG_QUEUES=0:1
UPLOAD_BYTES=$((2 * 1024 * 1024))
UPLOAD_SECONDS=20
CLOSED_PORT=33999

hops() { # FAMILY MODE...: the addresses traceroute printed, one per hop
    local fam=$1 target=$SERVER4
    shift
    [[ $fam == 6 ]] && target=$SERVER6
    in_ns client timeout 30 traceroute "-$fam" -n -q 1 -w 2 -m 8 "$@" "$target" 2>&1 |
        tee -a "$LAB_TMP/traces" | awk '$1 ~ /^[0-9]+$/ {printf "%s%s", sep, $2; sep = " "}'
}

# echo_requests FAMILY: accepted echo requests logged from the client's own address to the server.
echo_requests() {
    if [[ $1 == 4 ]]; then eve count "$IG_LOG" ip_v=4 icmp_type=8 src_ip="$CLIENT4" dest_ip="$SERVER4" verdict.action=accept
    else eve count "$IG_LOG" ip_v=6 icmp_type=128 src_ip="$CLIENT6" dest_ip="$SERVER6" verdict.action=accept; fi
}

lab_up || lab_abort lab_up "could not build the lab"
gateway_filter_install
masquerade_install
shipped_rules_install --chains forward,input --queues "$IG_QUEUES" || lab_abort rules "icmpgate-rules.sh install failed"
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"

for fam in 4 6; do
    if [[ $fam == 4 ]]; then
        server=$SERVER4 all_hops="$GW4_C $R2_4 $R3_4 $SERVER4"
    else
        server=$SERVER6 all_hops="$GW6_C $R2_6 $R3_6 $SERVER6"
    fi
    wait_log_quiet
    requests_before=$(echo_requests "$fam")
    out=$(in_ns client ping "-$fam" -n -c 3 -i 0.2 -W 2 "$server")
    check_eq "v$fam masquerade: ping" 3 "$(ping_received <<<"$out")"
    wait_log_quiet
    check_eq "log: v$fam the ping's 3 echo requests, with the client's inside source (queued before SNAT)" 3 \
        "$(($(echo_requests "$fam") - requests_before))"
    check_eq "v$fam masquerade: traceroute -I shows every hop" "$all_hops" "$(hops "$fam" -I)"
    check_eq "v$fam masquerade: UDP traceroute shows every hop" "$all_hops" "$(hops "$fam")"
    flush_client_cache
    if tcp_upload "$server" "$UPLOAD_BYTES" "$UPLOAD_SECONDS"; then
        pass "v$fam masquerade: 2 MiB upload across the 1280 link ($(cat "$LAB_TMP/upload.out"))"
    else
        fail "v$fam masquerade: 2 MiB upload across the 1280 link" "$(cat "$LAB_TMP/upload.out")"
    fi
    check_eq "v$fam masquerade: the client learnt the path MTU" "$BOTTLENECK_MTU" "$(route_mtu "$server")"
    check_true "v$fam masquerade: UDP to a closed port gets Port Unreachable" "see above" \
        udp_refused "$server" "$CLOSED_PORT"
done

wait_log_quiet
check_eq "masquerade: the masqueraded addresses appear in no record" 0 \
    $(( $(eve count "$IG_LOG" dest_ip="$GW4_R2") + $(eve count "$IG_LOG" dest_ip="$GW6_R2") +
        $(eve count "$IG_LOG" icmpgate.embedded.src_ip="$GW4_R2") + $(eve count "$IG_LOG" icmpgate.embedded.src_ip="$GW6_R2") ))
for fam in 4 6; do
    if [[ $fam == 4 ]]; then
        client=$CLIENT4 server=$SERVER4 r2=$R2_4 r3=$R3_4 request=8 te=11 mtu=(icmp_type=3 icmp_code=4) unreach=(icmp_type=3 icmp_code=3)
    else
        client=$CLIENT6 server=$SERVER6 r2=$R2_6 r3=$R3_6 request=128 te=3 mtu=(icmp_type=2) unreach=(icmp_type=1 icmp_code=4)
    fi
    # One probe per hop in each trace (-q 1, no retries): exactly one Time Exceeded per router per trace.
    for router in "$r2" "$r3"; do
        check_eq "log: v$fam Time Exceeded from $router to the inside address, quote with the inside source (one per trace)" 2 \
            "$(eve count "$IG_LOG" ip_v=$fam icmp_type=$te src_ip="$router" dest_ip="$client" icmpgate.embedded.src_ip="$client" verdict.action=accept)"
    done
    # As many as the TCP segments r2 could not forward: TCP decides how many, so at least one.
    check_ge "log: v$fam path MTU message from r2 (mtu 1280) to the inside address" 1 \
        "$(eve count "$IG_LOG" ip_v=$fam "${mtu[@]}" icmpgate.mtu=$BOTTLENECK_MTU src_ip="$r2" dest_ip="$client" icmpgate.embedded.src_ip="$client" icmpgate.embedded.proto=TCP verdict.action=accept)"
    check_eq "log: v$fam Port Unreachable about the closed port, quote with the inside source" 1 \
        "$(eve count "$IG_LOG" ip_v=$fam "${unreach[@]}" src_ip="$server" dest_ip="$client" icmpgate.embedded.src_ip="$client" icmpgate.embedded.dest_port=$CLOSED_PORT verdict.action=accept)"
done
check_eq "log: no drops" 0 "$(eve count "$IG_LOG" verdict.action=drop)"
if ((LAB_FAILS > 0)); then echo "traces:"; cat "$LAB_TMP/traces"; echo "log:"; eve table "$IG_LOG"; fi
stop_icmpgate
lab_finish
