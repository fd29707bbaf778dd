#!/usr/bin/env bash
# icmpgate demo: the main job on a built-in default. Builds a lab of network namespaces
# (client -- gw -- r2 -- r3 -- server, dual stack, a 1280-byte bottleneck between r2 and r3),
# runs `icmpgate run` with the default policy on gw's FORWARD chain, drives real ping,
# traceroute, path-MTU discovery, a small ping flood and a few forged ICMP errors through it,
# prints what happened, and removes everything it created (also when interrupted).
#
#   demo.sh ICMPGATE POLICY LAB_DIR      (run by `icmpgate demo`, as root)
#
# LAB_DIR holds lab.sh, eve.py, craft.py and tcp_upload.py (tests/e2e in the source tree,
# /usr/share/icmpgate/demo once installed). Every traffic loop is bounded in count and time.
set -uo pipefail

ICMPGATE=$1
POLICY=$2
LAB_DIR=$3
LAB_NS_PREFIX=ig-demo-
IG_LOG_RATE=0
export ICMPGATE LAB_NS_PREFIX IG_LOG_RATE
# shellcheck source=tests/e2e/lab.sh
source "$LAB_DIR/lab.sh"
trap lab_down EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }
quiet() { "$@" >/dev/null 2>&1; }

lab_require || exit 1
step "building the lab: client -- gw -- r2 -- r3 -- server (namespaces ${LAB_NS_PREFIX}*)"
lab_up || exit 1
queue_rules_install bypass
start_icmpgate "$POLICY" || exit 1
echo "icmpgate is filtering ICMP on gw's FORWARD chain with $POLICY"

step "ping client -> server, IPv4 and IPv6 (5 each)"
in_ns client ping -c 5 -i 0.2 -W 1 -q "$SERVER4" | grep -E 'packets transmitted'
in_ns client ping -6 -c 5 -i 0.2 -W 1 -q "$SERVER6" | grep -E 'packets transmitted'

step "traceroute (UDP) and traceroute -I (ICMP): Time Exceeded from every hop crosses gw"
in_ns client timeout 30 traceroute -n -q 1 -w 1 -m 8 "$SERVER4"
in_ns client timeout 30 traceroute -6 -I -n -q 1 -w 1 -m 8 "$SERVER6"

step "path MTU discovery: a 2 MiB TCP upload over the 1280-byte r2 -- r3 link"
in_ns client ip route flush cache
in_ns client ip -6 route flush cache
PORT=5001
rm -f "$LAB_TMP/serve.out"
ip netns exec "$(ns_name server)" timeout 20 "$PY" "$LAB_DIR/tcp_upload.py" serve "$SERVER4" "$PORT" 15 \
    >"$LAB_TMP/serve.out" 2>&1 &
server_pid=$!
for ((i = 0; i < 100; i++)); do grep -q listening "$LAB_TMP/serve.out" && break; sleep 0.1; done
if in_ns client timeout 17 "$PY" "$LAB_DIR/tcp_upload.py" send "$SERVER4" "$PORT" $((2 << 20)) 15 >/dev/null 2>&1; then
    echo "upload complete; the client learnt: $(in_ns client ip route get "$SERVER4" | grep -o 'mtu [0-9]*' || echo 'no mtu')"
else
    echo "upload did not complete"
fi
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null

step "a 2-second ping flood from $CLIENT4 while $CLIENT4_B pings normally"
in_ns client timeout 5 ping -q -i 0.002 -w 2 -I "$CLIENT4" "$SERVER4" >"$LAB_TMP/flood.out" 2>&1 &
flood_pid=$!
in_ns client ping -q -c 5 -i 0.3 -W 1 -I "$CLIENT4_B" "$SERVER4" | grep -E 'packets transmitted' | sed 's/^/other source: /'
wait "$flood_pid"
grep -E 'packets transmitted' "$LAB_TMP/flood.out" | sed 's/^/flood:        /'

step "UDP to a closed port: the Port Unreachable comes back through gw"
in_ns client timeout 3 "$PY" -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.connect(('$SERVER4', 33999)); s.send(b'demo')
try:
    s.recv(10); print('unexpected answer')
except ConnectionRefusedError:
    print('connection refused: the Port Unreachable arrived')
except socket.timeout:
    print('no Port Unreachable within 2 s')
"

step "forged ICMP from r2 towards the client: redirect, tiny-MTU Frag Needed, error about an error, spoofed quote"
GW_MAC=$(ip -n "$(ns_name gw)" -j link show gw-r2 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
in_ns r2 timeout 30 "$PY" "$LAB_DIR/craft.py" r2-gw "$GW_MAC" "$R2_4" "$R2_6" "$CLIENT4" "$CLIENT6" \
    "$SERVER4" "$SERVER6" redirect4 tinymtu4 errorerror4 spoofed4 redirect6 tinymtu6 errorerror6 spoofed6 >/dev/null 2>&1 &&
    echo "8 forged packets sent"

wait_log_quiet
stop_icmpgate

step "verdicts by reason and rule"
"$PY" - "$IG_LOG" <<'PY'
import collections, json, sys
rows = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("event_type") != "alert":
        continue
    rows[(r["verdict"]["action"], r["icmpgate"]["reason"], r["icmpgate"]["rule"] or "-")] += 1
print(f"{'count':>6}  {'verdict':<7}  {'reason':<28}  rule")
for (verdict, reason, rule), n in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{n:>6}  {verdict:<7}  {reason:<28}  {rule}")
print(f"{sum(rows.values()):>6}  verdicts in all")
PY

step "a few verdict records (one of each reason; full records in docs/log-format.md)"
"$PY" - "$IG_LOG" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("event_type") != "alert" or r["icmpgate"]["reason"] in seen:
        continue
    seen.add(r["icmpgate"]["reason"])
    fields = {**r, **r["icmpgate"], "verdict": r["verdict"]["action"]}
    keep = {k: fields[k] for k in ("src_ip", "dest_ip", "icmp_type_name", "icmp_code_name", "verdict", "reason",
                                   "rule", "limiter", "mtu", "embedded") if k in fields}
    print(json.dumps(keep))
PY

step "the daemon's own summary (stderr)"
sed -n '/summary/,$p' "$IG_ERR"
