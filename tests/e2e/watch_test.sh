#!/bin/bash
# icmpgate watch: the records of a live interface while no queue daemon runs and no queue rule
# exists. The watch runs as nobody with CAP_NET_RAW only (setpriv), on gw's client-side veth,
# with --capture: pings accepted by the policy and pings a rule would drop (the client's second
# source) pass all the same (nothing is blocked), and the log holds exactly one record per echo
# request and reply that crossed the interface, both families, and for echo requests sent onto
# the link in 802.1Q and 802.1ad+802.1Q (QinQ) frames (the receiving kernel moves the outer tag
# into the packet's metadata: the kernel filter and libpcap see it there; this kernel has no
# 802.1Q devices, so scapy sends the tagged frames); the capture holds exactly the would-be drops,
# on an interface named after the watched one.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

command -v setpriv >/dev/null || missing_prerequisite "setpriv not found (util-linux)"
command -v tshark >/dev/null || missing_prerequisite "tshark not found"
# The tagged frames' addresses: a VLAN nobody answers on (the requests are all the watch sees).
VLAN4_SRC=198.51.100.129
VLAN4_DST=198.51.100.130
VLAN6_SRC=2001:db8:100::10
VLAN6_DST=2001:db8:100::1

lab_up || lab_abort lab_up "could not build the lab"
check_eq "no queue rule in gw" 0 "$(in_ns gw iptables-save | grep -c NFQUEUE)"

# Everything the unprivileged watch reads or writes: a directory of its own.
W="$LAB_TMP/watch"
mkdir -p "$W/out"
chmod o+x "$LAB_TMP"
chmod 0755 "$W"
install -m 0644 "$E2E_DIR/policies/echo-second-source-dropped.json" "$W/policy.json"
chown nobody "$W/out"
WATCH_LOG="$W/out/watch.json"
WATCH_ERR="$W/watch.err"
ip netns exec "$(ns_name gw)" setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all,+net_raw \
    --ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw -- \
    "$ICMPGATE" watch --policy "$W/policy.json" --interface gw-c --log "$WATCH_LOG" --log-rate 0 \
    --capture "$W/out/captures" 2>"$WATCH_ERR" &
WATCH_PID=$!
stop_watch() {
    [[ -n "${WATCH_PID:-}" ]] || return 0
    kill -TERM "$WATCH_PID" 2>/dev/null
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$WATCH_PID" 2>/dev/null
    wait "$WATCH_PID" 2>/dev/null
    WATCH_EXIT=$?
    WATCH_PID=""
}
trap 'stop_watch; lab_down' EXIT
for ((i = 0; i < 50; i++)); do grep -q '^icmpgate: watching' "$WATCH_ERR" && break; sleep 0.1; done
check_contains "watch starts on gw-c with the ICMP filter" "icmpgate: watching gw-c (filter 'icmp or icmp6" "$WATCH_ERR" ||
    lab_abort "watch start" "$(cat "$WATCH_ERR")"
check_contains "watch keeps no capability once the interface is open" "running with capabilities none, uid 65534" "$WATCH_ERR"

pings_from_both_sources 2 "the policy would drop it, 2 of 2 replies (watch blocks nothing)"
# Two echo requests of each kind in tagged frames: VLAN 100 (v4, v6), and VLAN 100 inside service VLAN 200 (v4).
in_ns client "$PY" - "$VLAN4_SRC" "$VLAN4_DST" "$VLAN6_SRC" "$VLAN6_DST" <<'PYEOF' >"$LAB_TMP/tagged.out" 2>&1
import sys
from scapy.all import Dot1AD, Dot1Q, Ether, ICMP, ICMPv6EchoRequest, IP, IPv6, sendp
s4, d4, s6, d6 = sys.argv[1:5]
frames = [Ether(dst="02:00:00:00:00:99") / Dot1Q(vlan=100) / IP(src=s4, dst=d4) / ICMP(id=71, seq=1),
          Ether(dst="02:00:00:00:00:99") / Dot1Q(vlan=100) / IPv6(src=s6, dst=d6) / ICMPv6EchoRequest(id=72, seq=1),
          Ether(dst="02:00:00:00:00:99") / Dot1AD(vlan=200) / Dot1Q(vlan=100) / IP(src=s4, dst=d4) / ICMP(id=73, seq=1)]
for f in frames:
    sendp(f, iface="c-gw", count=2, verbose=False)
PYEOF
check_eq "scapy sent the tagged frames" 0 "$?"
sleep 0.5 # libpcap hands frames over at least every 100 ms; the log writer lingers 10 ms
stop_watch
check_eq "watch exits 0 on SIGTERM" 0 "$WATCH_EXIT"
check_contains "watch prints its summary" "icmpgate: summary" "$WATCH_ERR"

count() { eve count "$WATCH_LOG" event_type=alert in_iface=gw-c "$@"; }
check_eq "v4: 3 requests accepted by e2e-echo" 3 "$(count src_ip="$CLIENT4" icmp_type=8 icmpgate.rule=e2e-echo verdict.action=accept)"
check_eq "v4: 3 replies accepted by e2e-echo-reply" 3 "$(count dest_ip="$CLIENT4" icmp_type=0 icmpgate.rule=e2e-echo-reply)"
check_eq "v4: 2 requests e2e-drop-echo-b would drop" 2 \
    "$(count src_ip="$CLIENT4_B" icmp_type=8 icmpgate.rule=e2e-drop-echo-b verdict.action=drop alert.action=blocked)"
check_eq "v4: their 2 replies" 2 "$(count dest_ip="$CLIENT4_B" icmp_type=0 icmpgate.rule=e2e-echo-reply)"
check_eq "v6: 3 requests accepted by e2e-echo" 3 "$(count src_ip="$CLIENT6" icmp_type=128 icmpgate.rule=e2e-echo)"
check_eq "v6: 3 replies" 3 "$(count dest_ip="$CLIENT6" icmp_type=129 icmpgate.rule=e2e-echo-reply)"
check_eq "v6: 2 requests e2e-drop-echo-b would drop" 2 \
    "$(count src_ip="$CLIENT6_B" icmp_type=128 icmpgate.rule=e2e-drop-echo-b verdict.action=drop)"
check_eq "v6: their 2 replies" 2 "$(count dest_ip="$CLIENT6_B" icmp_type=129 icmpgate.rule=e2e-echo-reply)"
check_eq "802.1Q v4: 2 requests" 2 "$(count src_ip=$VLAN4_SRC icmp_type=8 icmpgate.icmp_id=71 icmpgate.rule=e2e-echo)"
check_eq "802.1Q v6: 2 requests" 2 "$(count src_ip=$VLAN6_SRC icmp_type=128 icmpgate.icmp_id=72 icmpgate.rule=e2e-echo)"
check_eq "802.1ad + 802.1Q v4: 2 requests" 2 "$(count src_ip=$VLAN4_SRC icmp_type=8 icmpgate.icmp_id=73 icmpgate.rule=e2e-echo)"
check_eq "every echo record, exactly: 26" 26 \
    "$(($(count icmp_type=8) + $(count icmp_type=0) + $(count icmp_type=128) + $(count icmp_type=129)))"
check_eq "records carry no queue (nothing was queued)" 0 "$(eve count "$WATCH_LOG" event_type=alert icmpgate.queue!=~)"
check_eq "no TCP, UDP or other protocol reached the watch" 0 "$(eve count "$WATCH_LOG" event_type=alert icmpgate.reason=not-icmp)"
eve check "$WATCH_LOG" >"$LAB_TMP/check.out"
check_true "log: every record has the documented fields" "$(tail -n 4 "$LAB_TMP/check.out")" test "$?" -eq 0

mapfile -t files < <(ls "$W"/out/captures/*.pcapng 2>/dev/null)
check_eq "one capture file, written as nobody" "1 nobody" "${#files[@]} $(stat -c %U "${files[0]:-/nonexistent}" 2>/dev/null)"
tshark -r "${files[0]}" -Y frame.comment -T fields -e frame.interface_name -e frame.comment 2>/dev/null >"$LAB_TMP/comments.txt"
check_eq "the capture holds the 4 would-be drops, on interface gw-c" 4 \
    "$(grep -c $'^gw-c\ticmpgate: verdict=drop reason=rule rule=e2e-drop-echo-b limiter=- in=gw-c out=- policy=sha256:' "$LAB_TMP/comments.txt")"
check_eq "and nothing else" 4 "$(wc -l <"$LAB_TMP/comments.txt")"
check_contains "summary: the capture counters" "capture: written 4, dropped (queue full) 0, lost to write errors 0" "$WATCH_ERR"
lab_finish
