#!/bin/bash
# Path MTU discovery through icmpgate (issue 3, "End-to-end tests"): r2's Fragmentation Needed
# (v4) and Packet Too Big (v6) about the 1280-byte r2--r3 link cross gw, the client's route cache
# learns mtu 1280, and a 4 MiB TCP upload client -> server completes. With a policy that drops them
# (override_protection) the same upload stalls and the cache learns nothing: the test can fail.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

UPLOAD_BYTES=$((4 * 1024 * 1024))
UPLOAD_OK_SECONDS=20     # a 4 MiB upload over veth takes well under a second
UPLOAD_STALL_SECONDS=10  # without PMTUD the 1500-byte segments never get through
PORT=5001

# upload SERVER_ADDRESS SECONDS: one upload of UPLOAD_BYTES (lab.sh's tcp_upload).
upload() { tcp_upload "$1" "$UPLOAD_BYTES" "$2" "$PORT"; }

lab_up || lab_abort lab_up "could not build the lab"
in_ns client sysctl -qw net.ipv4.tcp_mtu_probing=0
check_eq "no mtu probing: client tcp_mtu_probing" 0 "$(in_ns client sysctl -n net.ipv4.tcp_mtu_probing)"
check_eq "no MSS clamping in gw, r2, r3" 0 \
    "$(for r in gw r2 r3; do in_ns $r iptables-save; in_ns $r ip6tables-save; done | grep -c TCPMSS)"
queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"

for fam in 4 6; do
    if [[ $fam == 4 ]]; then server=$SERVER4; else server=$SERVER6; fi
    flush_client_cache
    check_eq "v$fam route cache empty before the upload" none "$(route_mtu "$server")"
    if upload "$server" "$UPLOAD_OK_SECONDS"; then
        pass "v$fam 4 MiB upload across the 1280 bottleneck completes ($(cat "$LAB_TMP/upload.out"))"
    else
        fail "v$fam 4 MiB upload across the 1280 bottleneck completes" "$(cat "$LAB_TMP/upload.out")"
    fi
    check_eq "v$fam client's route cache learnt the bottleneck (ip route get $server)" \
        "$BOTTLENECK_MTU" "$(route_mtu "$server")"
    # The learnt value is a cached exception that expires (v4: `ip route show cache` lists nothing on
    # this kernel, `ip -s route get` shows the cache entry; v6: `ip -6 route show cache` lists it).
    if [[ $fam == 4 ]]; then
        in_ns client ip -s route get "$SERVER4" >"$LAB_TMP/cache4"
        check_true "v4 ip -s route get shows a cache entry with mtu $BOTTLENECK_MTU" "$(tr '\n' ' ' <"$LAB_TMP/cache4")" \
            grep -Eq "cache expires [0-9]+sec.* mtu $BOTTLENECK_MTU" "$LAB_TMP/cache4"
    else
        in_ns client ip -6 route show cache >"$LAB_TMP/cache6"
        check_true "v6 ip -6 route show cache lists $SERVER6 with mtu $BOTTLENECK_MTU" "$(tr '\n' ' ' <"$LAB_TMP/cache6")" \
            grep -Eq "^$SERVER6 .*expires [0-9]+sec mtu $BOTTLENECK_MTU" "$LAB_TMP/cache6"
    fi
done
wait_log_quiet
# How many Frag Needed / Packet Too Big r2 sends is TCP's doing (one per segment too big for the
# link, however many were in flight): at least one each, not an exact count.
v4_accepted=$(eve count "$IG_LOG" ip_v=4 icmp_type=3 icmp_code=4 icmpgate.mtu=$BOTTLENECK_MTU verdict.action=accept \
    src_ip="$R2_4" dest_ip="$CLIENT4" icmpgate.embedded.proto=TCP icmpgate.embedded.src_ip="$CLIENT4")
check_ge "log: v4 Frag Needed (mtu 1280) from r2 accepted" 1 "$v4_accepted"
v6_accepted=$(eve count "$IG_LOG" ip_v=6 icmp_type=2 icmpgate.mtu=$BOTTLENECK_MTU verdict.action=accept \
    src_ip="$R2_6" dest_ip="$CLIENT6" icmpgate.embedded.proto=TCP icmpgate.embedded.src_ip="$CLIENT6")
check_ge "log: v6 Packet Too Big (mtu 1280) from r2 accepted" 1 "$v6_accepted"
check_eq "log: no Frag Needed / Packet Too Big dropped under the default policy" 0 \
    $(( $(eve count "$IG_LOG" ip_v=4 icmp_type=3 icmp_code=4 verdict.action=drop) + $(eve count "$IG_LOG" ip_v=6 icmp_type=2 verdict.action=drop) ))
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"

# The negative control: the same upload with PMTUD messages dropped at gw.
: >"$IG_LOG"
start_icmpgate "$E2E_DIR/policies/drop-pmtud.json" || lab_abort "start_icmpgate drop-pmtud" "$(cat "$IG_ERR")"
for fam in 4 6; do
    if [[ $fam == 4 ]]; then server=$SERVER4; else server=$SERVER6; fi
    flush_client_cache
    if upload "$server" "$UPLOAD_STALL_SECONDS"; then
        fail "v$fam upload stalls when gw drops PMTUD messages" "it completed: $(cat "$LAB_TMP/upload.out")"
    else
        pass "v$fam upload stalls when gw drops PMTUD messages ($(cat "$LAB_TMP/upload.out"))"
    fi
    check_eq "v$fam client's route cache learnt nothing" none "$(route_mtu "$server")"
done
wait_log_quiet
# TCP retransmits the stalled segments: each retry draws another one, at least one each.
check_ge "log: v4 Frag Needed dropped by rule e2e-drop-frag-needed" 1 \
    "$(eve count "$IG_LOG" ip_v=4 icmp_type=3 icmp_code=4 verdict.action=drop icmpgate.reason=rule icmpgate.rule=e2e-drop-frag-needed)"
check_ge "log: v6 Packet Too Big dropped by rule e2e-drop-packet-too-big" 1 \
    "$(eve count "$IG_LOG" ip_v=6 icmp_type=2 verdict.action=drop icmpgate.reason=rule icmpgate.rule=e2e-drop-packet-too-big)"
stop_icmpgate
lab_finish
