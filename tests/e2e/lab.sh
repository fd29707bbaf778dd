# shellcheck shell=bash
# tests/e2e/lab.sh: the namespace lab the end-to-end tests run in. Source it; do not run it.
#
# Topology (every link a veth pair, dual stack; only documentation address ranges):
#
#   client ------------- gw -------------- r2 ============= r3 -------------- server
#        c-gw     gw-c      gw-r2    r2-gw    r2-r3  r3-r2     r3-s      s-r3
#        MTU 1500           MTU 1500          MTU 1280          MTU 1500
#                           (icmpgate on gw's FORWARD chain, NFQUEUE 0)
#
#   link            IPv4 subnet            IPv6 prefix            addresses (v4 / v6 host part)
#   client -- gw    192.0.2.0/24           2001:db8:1::/64        client .10 / ::10, gw .1 / ::1
#   gw -- r2        203.0.113.0/28         2001:db8:12::/64       gw .1 / ::1,       r2 .2 / ::2
#   r2 -- r3        203.0.113.16/28        2001:db8:23::/64       r2 .17 / ::2,      r3 .18 / ::3
#   r3 -- server    203.0.113.32/28        2001:db8:3::/64        r3 .33 / ::3,      server .34 / ::34
#
#   second client source (for "one source is limited, another is not"): 198.51.100.10/32 and
#   2001:db8:b::10/128 on the client's c-gw, in another /24 and /64 than the first source so a
#   per-source limiter aggregating by /24 or /64 still keys them apart; gw routes them to the client.
#
#   Routes: client default via gw; gw default via r2 (+ the second client source via client);
#   r2 default via r3, 192.0.2.0/24 and the second source via gw; r3 default via r2;
#   server default via r3. Forwarding is on in gw, r2, r3. Every namespace sends ICMP errors
#   without rate limiting (net.ipv4.icmp_ratelimit=0, net.ipv6.icmp.ratelimit=0) so traceroute
#   and Port Unreachable checks are deterministic. DAD is off so addresses are usable at once.
#   Nothing clamps MSS and the client has net.ipv4.tcp_mtu_probing=0: the 1280 bottleneck between
#   r2 and r3 is learnt only from r2's Fragmentation Needed / Packet Too Big.
#
# Namespaces are named ig-e2e-<role> (LAB_NS_PREFIX); in_ns takes the role (client, gw, ...).
#
# Functions:
#   lab_require              root, namespaces and tools present; otherwise FAIL (ICMPGATE_ALLOW_SKIP=1: skip, 77)
#   missing_prerequisite WHY the same for a script's own prerequisite (tests/support/prerequisites.sh)
#   lab_up                   build the lab (removes a stale one of ours first)
#   lab_down                 stop the daemon we started, remove our namespaces and temp dir (idempotent)
#   in_ns ROLE CMD...        run CMD inside the role's namespace
#   queue_rules_install [bypass|nobypass]   steer ICMP and ICMPv6 on gw's FORWARD into queue 0
#   queue_rules_remove       remove them again
#   gateway_filter_install   a stateful filter on gw as an admin writes one (conntrack INVALID dropped,
#                            RELATED,ESTABLISHED accepted), both families: conntrack is active in gw
#   masquerade_install       gw masquerades everything leaving towards r2 (gw-r2), both families
#   shipped_rules_install [OPTS...]  deploy/iptables/icmpgate-rules.sh OPTS install in gw (the script is
#                            $IG_RULES_SCRIPT when set: a test can be run against other rules)
#   conntrack_stat FIELD     a /proc/net/stat/nf_conntrack column of gw, summed over CPUs (decimal)
#   queue_waiting            packets waiting in gw's queues (/proc/net/netfilter/nfnetlink_queue), summed
#   start_icmpgate POLICY [ARGS...]  run `icmpgate run` in gw (queues $IG_QUEUES, default 0; log $IG_LOG, --log-rate $IG_LOG_RATE,
#                            --stats-interval $IG_STATS_INTERVAL),
#                            record IG_PID, wait for "filtering" (or, --monitor, "monitoring") on its stderr ($IG_ERR)
#   stop_icmpgate            SIGTERM by PID, wait; sets IG_EXIT
#   wait_log_lines N / wait_log_quiet   wait for the asynchronous log writer
#   kill9_icmpgate           SIGKILL by PID, wait
#   pass NAME / fail NAME WHY / check_eq NAME EXPECTED ACTUAL / check_ge / check_le / check_between /
#   check_contains NAME NEEDLE FILE / check_true NAME WHY CMD...: print "PASS name" or
#   "FAIL name: why (expected ..., actual ...)" and count failures (they return 1 on failure)
#   lab_finish               print the script's tally and exit non-zero if any check failed
#   eve ARGS...              tests/e2e/eve.py on the verdict log (count/check records)
#   schema_held RC           log_schema_check.py's exit status RC means every line held
#   udp_refused ADDRESS [PORT]  UDP to a closed port answered by Port Unreachable (exit 0)
#   tcp_upload ADDRESS BYTES SECONDS [PORT]  a TCP upload client -> server; output in $LAB_TMP/upload.out
#   flush_client_cache / route_mtu ADDRESS   the client's learnt path MTU
#   pings_from_both_sources B_REPLIES B_WHAT  3 pings from each first client source, 2 from each second
#                            source, both families; checks 3 replies, then B_REPLIES (check named B_WHAT)
#
# Environment: ICMPGATE (binary; default: the newest of build*/icmpgate and build/*/icmpgate in the
#   repository: CTest should pass the build's own binary), IG_DEFAULT_POLICY (default: deploy/policies/default.json),
#   IG_LOG_RATE (default 0: log every verdict), IG_STATS_INTERVAL (--stats-interval; default 0: no stats
#   events). A missing prerequisite fails the script, CI=true or not; ICMPGATE_ALLOW_SKIP=1 makes it
#   skip (exit 77) instead.

LAB_NS_PREFIX=${LAB_NS_PREFIX:-ig-e2e-}
LAB_ROLES=(client gw r2 r3 server)
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
PY=/usr/bin/python3 # Debian's python3 (scapy lives there)

# Addressing plan (see the header).
CLIENT4=192.0.2.10
CLIENT4_B=198.51.100.10
GW4_C=192.0.2.1
GW4_R2=203.0.113.1
R2_4=203.0.113.2
R2_4_R3=203.0.113.17
R3_4=203.0.113.18
R3_4_S=203.0.113.33
SERVER4=203.0.113.34
CLIENT6=2001:db8:1::10
CLIENT6_B=2001:db8:b::10
GW6_C=2001:db8:1::1
GW6_R2=2001:db8:12::1
R2_6=2001:db8:12::2
R2_6_R3=2001:db8:23::2
R3_6=2001:db8:23::3
R3_6_S=2001:db8:3::3
SERVER6=2001:db8:3::34
BOTTLENECK_MTU=1280

IG_LOG_RATE=${IG_LOG_RATE:-0}
IG_QUEUES=${IG_QUEUES:-0}
IG_STATS_INTERVAL=${IG_STATS_INTERVAL:-0} # stats events off unless a test asks: counts of alert lines stay exact
IG_PID=""
IG_EXIT=""
LAB_FAILS=0
LAB_PASSES=0
LAB_TMP=""

ns_name() { echo "${LAB_NS_PREFIX}$1"; }
in_ns() {
    local role=$1
    shift
    ip netns exec "$(ns_name "$role")" "$@"
}

# ---------------------------------------------------------------- checks
pass() {
    LAB_PASSES=$((LAB_PASSES + 1))
    echo "PASS $1"
}
fail() {
    LAB_FAILS=$((LAB_FAILS + 1))
    echo "FAIL $1: $2"
    return 1
}
check_eq() { # NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1" "expected '$2', actual '$3'"; fi
}
check_ge() { # NAME MIN ACTUAL
    if [[ "$3" =~ ^-?[0-9]+$ ]] && ((${3} >= ${2})); then pass "$1"; else fail "$1" "expected >= $2, actual '$3'"; fi
}
check_le() { # NAME MAX ACTUAL
    if [[ "$3" =~ ^-?[0-9]+$ ]] && ((${3} <= ${2})); then pass "$1"; else fail "$1" "expected <= $2, actual '$3'"; fi
}
check_between() { # NAME MIN MAX ACTUAL
    if [[ "$4" =~ ^-?[0-9]+$ ]] && ((${4} >= ${2} && ${4} <= ${3})); then
        pass "$1"
    else
        fail "$1" "expected in [$2, $3], actual '$4'"
    fi
}
check_contains() { # NAME NEEDLE FILE
    if grep -qF -- "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "expected '$2' in $3, actual: $(tail -c 400 "$3" | tr '\n' '|')"
    fi
}
check_true() { # NAME WHY CMD...
    local name=$1 why=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}
lab_finish() {
    echo "$(basename "$0"): $LAB_PASSES passed, $LAB_FAILS failed"
    ((LAB_FAILS == 0)) || exit 1
    exit 0
}
# A failure that makes the rest of the script meaningless.
lab_abort() {
    fail "$1" "$2"
    lab_finish
}

# ---------------------------------------------------------------- prerequisites
source "$E2E_DIR/../support/prerequisites.sh" # missing_prerequisite WHY
find_icmpgate() {
    if [[ -n "${ICMPGATE:-}" ]]; then
        echo "$ICMPGATE"
        return
    fi
    # The newest build of the binary in the repository's build directories (build-x/, build/ci/).
    local newest="" f
    for f in "$REPO_DIR"/build*/icmpgate "$REPO_DIR"/build/*/icmpgate; do
        [[ -x "$f" ]] || continue
        if [[ -z "$newest" || "$f" -nt "$newest" ]]; then newest=$f; fi
    done
    echo "$newest"
}
lab_require() {
    [[ $(id -u) == 0 ]] || missing_prerequisite "needs root (network namespaces, iptables)"
    local tool
    for tool in ip iptables ip6tables iptables-save ip6tables-save ping traceroute timeout awk; do
        command -v "$tool" >/dev/null || missing_prerequisite "tool '$tool' not found"
    done
    [[ -x "$PY" ]] || missing_prerequisite "$PY not found"
    "$PY" -c 'import scapy' 2>/dev/null || missing_prerequisite "$PY cannot import scapy (python3-scapy)"
    ICMPGATE=$(find_icmpgate)
    [[ -x "$ICMPGATE" ]] || missing_prerequisite "icmpgate binary not found (set ICMPGATE or build it)"
    local probe="${LAB_NS_PREFIX}probe$$"
    ip netns add "$probe" 2>/dev/null || missing_prerequisite "cannot create a network namespace"
    ip netns del "$probe"
}

# ---------------------------------------------------------------- lab
ns_sysctl() { # ROLE KEY=VALUE... (keys that do not exist on this kernel are ignored)
    local role=$1 kv
    shift
    for kv in "$@"; do in_ns "$role" sysctl -qw "$kv" >/dev/null 2>&1 || true; done
}
# veth ROLE_A IF_A ROLE_B IF_B MTU
veth() {
    ip -n "$(ns_name "$1")" link add "$2" mtu "$5" type veth peer name "$4" mtu "$5" netns "$(ns_name "$3")"
    ip -n "$(ns_name "$1")" link set "$2" up
    ip -n "$(ns_name "$3")" link set "$4" up
}
addr() { # ROLE IF ADDRESS/PREFIX
    if [[ "$3" == *:* ]]; then
        ip -n "$(ns_name "$1")" -6 addr add "$3" dev "$2" nodad
    else
        ip -n "$(ns_name "$1")" addr add "$3" dev "$2"
    fi
}
route4() { ip -n "$(ns_name "$1")" route add "${@:2}"; }
route6() { ip -n "$(ns_name "$1")" -6 route add "${@:2}"; }

lab_down() {
    if [[ -n "$IG_PID" ]] && kill -0 "$IG_PID" 2>/dev/null; then
        kill -TERM "$IG_PID" 2>/dev/null
        local i
        for ((i = 0; i < 50; i++)); do kill -0 "$IG_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$IG_PID" 2>/dev/null
        wait "$IG_PID" 2>/dev/null
    fi
    IG_PID=""
    local role
    # Deleting the namespaces removes their links, routes and iptables rules with them.
    for role in "${LAB_ROLES[@]}"; do
        ip netns del "$(ns_name "$role")" 2>/dev/null || true
    done
    if [[ -n "$LAB_TMP" && -d "$LAB_TMP" && -z "${LAB_KEEP_TMP:-}" ]]; then rm -rf "$LAB_TMP"; fi
    return 0
}

lab_up() {
    lab_require
    # A previous run of ours that failed hard may have left its namespaces behind.
    lab_down
    LAB_TMP=$(mktemp -d /tmp/ig-e2e.XXXXXX)
    IG_LOG="$LAB_TMP/eve.json"
    IG_ERR="$LAB_TMP/icmpgate.err"
    local role
    for role in "${LAB_ROLES[@]}"; do
        ip netns add "$(ns_name "$role")" || return 1
        ip -n "$(ns_name "$role")" link set lo up
        ns_sysctl "$role" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
            net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
            net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
            net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000 \
            net.ipv4.tcp_mtu_probing=0 net.ipv4.ip_no_pmtu_disc=0
    done
    for role in gw r2 r3; do
        ns_sysctl "$role" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    done
    veth client c-gw gw gw-c 1500
    veth gw gw-r2 r2 r2-gw 1500
    veth r2 r2-r3 r3 r3-r2 "$BOTTLENECK_MTU"
    veth r3 r3-s server s-r3 1500

    addr client c-gw "$CLIENT4/24"
    addr client c-gw "$CLIENT4_B/32"
    addr client c-gw "$CLIENT6/64"
    addr client c-gw "$CLIENT6_B/128"
    addr gw gw-c "$GW4_C/24"
    addr gw gw-c "$GW6_C/64"
    addr gw gw-r2 "$GW4_R2/28"
    addr gw gw-r2 "$GW6_R2/64"
    addr r2 r2-gw "$R2_4/28"
    addr r2 r2-gw "$R2_6/64"
    addr r2 r2-r3 "$R2_4_R3/28"
    addr r2 r2-r3 "$R2_6_R3/64"
    addr r3 r3-r2 "$R3_4/28"
    addr r3 r3-r2 "$R3_6/64"
    addr r3 r3-s "$R3_4_S/28"
    addr r3 r3-s "$R3_6_S/64"
    addr server s-r3 "$SERVER4/28"
    addr server s-r3 "$SERVER6/64"

    route4 client default via "$GW4_C"
    route6 client default via "$GW6_C"
    route4 gw default via "$R2_4"
    route6 gw default via "$R2_6"
    route4 gw "$CLIENT4_B/32" via "$CLIENT4"
    route6 gw "$CLIENT6_B/128" via "$CLIENT6"
    route4 r2 default via "$R3_4"
    route6 r2 default via "$R3_6"
    route4 r2 192.0.2.0/24 via "$GW4_R2"
    route4 r2 "$CLIENT4_B/32" via "$GW4_R2"
    route6 r2 2001:db8:1::/64 via "$GW6_R2"
    route6 r2 "$CLIENT6_B/128" via "$GW6_R2"
    route4 r3 default via "$R2_4_R3"
    route6 r3 default via "$R2_6_R3"
    route4 server default via "$R3_4_S"
    route6 server default via "$R3_6_S"

    # Both ends of the path answer before any test starts (neighbour entries resolved, routes valid).
    local i
    for ((i = 0; i < 20; i++)); do
        if in_ns client ping -c 1 -W 1 -q "$SERVER4" >/dev/null 2>&1 &&
            in_ns client ping -6 -c 1 -W 1 -q "$SERVER6" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    echo "lab_up: the server does not answer the client before icmpgate runs" >&2
    return 1
}

# ---------------------------------------------------------------- steering and daemon
queue_rules_install() { # [bypass|nobypass]
    local bypass=(--queue-bypass)
    [[ "${1:-bypass}" == "nobypass" ]] && bypass=()
    in_ns gw iptables -A FORWARD -p icmp -j NFQUEUE --queue-num 0 "${bypass[@]}"
    in_ns gw ip6tables -A FORWARD -p ipv6-icmp -j NFQUEUE --queue-num 0 "${bypass[@]}"
}
queue_rules_remove() {
    in_ns gw iptables -F FORWARD
    in_ns gw ip6tables -F FORWARD
}

gateway_filter_install() {
    local tool
    for tool in iptables ip6tables; do
        in_ns gw "$tool" -A FORWARD -m conntrack --ctstate INVALID -j DROP
        in_ns gw "$tool" -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        in_ns gw "$tool" -A INPUT -m conntrack --ctstate INVALID -j DROP
        in_ns gw "$tool" -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    done
}
masquerade_install() {
    in_ns gw iptables -t nat -A POSTROUTING -o gw-r2 -j MASQUERADE
    in_ns gw ip6tables -t nat -A POSTROUTING -o gw-r2 -j MASQUERADE
}
shipped_rules_install() { # [OPTS...]
    in_ns gw bash "${IG_RULES_SCRIPT:-$REPO_DIR/deploy/iptables/icmpgate-rules.sh}" "$@" install
}
conntrack_stat() { # FIELD
    local column value total=0
    column=$(in_ns gw awk -v f="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == f) print i }' /proc/net/stat/nf_conntrack)
    [[ -n "$column" ]] || { echo "none"; return; }
    # One line per CPU, hexadecimal (mawk has no strtonum).
    for value in $(in_ns gw awk -v c="$column" 'NR > 1 { print $c }' /proc/net/stat/nf_conntrack); do
        total=$((total + 16#$value))
    done
    echo "$total"
}
queue_waiting() {
    in_ns gw awk '{ n += $3 } END { print n + 0 }' /proc/net/netfilter/nfnetlink_queue
}

start_icmpgate() { # POLICY [ARGS...]
    local policy=$1
    shift
    : >"$IG_ERR"
    ip netns exec "$(ns_name gw)" "$ICMPGATE" run --policy "$policy" --queue "$IG_QUEUES" --log "$IG_LOG" \
        --log-rate "$IG_LOG_RATE" --stats-interval "$IG_STATS_INTERVAL" "$@" 2>>"$IG_ERR" >/dev/null &
    IG_PID=$!
    local i
    for ((i = 0; i < 100; i++)); do
        if grep -qE "(filtering|monitoring) queue" "$IG_ERR"; then return 0; fi
        if ! kill -0 "$IG_PID" 2>/dev/null; then
            wait "$IG_PID" 2>/dev/null
            echo "start_icmpgate: icmpgate exited before filtering: $(cat "$IG_ERR")" >&2
            IG_PID=""
            return 1
        fi
        sleep 0.1
    done
    echo "start_icmpgate: no 'filtering' or 'monitoring' on stderr after 10 s: $(cat "$IG_ERR")" >&2
    return 1
}
stop_icmpgate() {
    IG_EXIT=""
    [[ -n "$IG_PID" ]] || return 0
    kill -TERM "$IG_PID" 2>/dev/null
    local i
    for ((i = 0; i < 100; i++)); do kill -0 "$IG_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$IG_PID" 2>/dev/null; then
        echo "stop_icmpgate: still running 10 s after SIGTERM, killing" >&2
        kill -KILL "$IG_PID" 2>/dev/null
    fi
    wait "$IG_PID" 2>/dev/null
    IG_EXIT=$?
    IG_PID=""
}
kill9_icmpgate() {
    [[ -n "$IG_PID" ]] || return 0
    kill -KILL "$IG_PID" 2>/dev/null
    wait "$IG_PID" 2>/dev/null
    IG_PID=""
}
# Wait until the daemon's log holds at least N lines (the writer thread is asynchronous).
wait_log_lines() { # N [TIMEOUT_TENTHS]
    local n=$1 tries=${2:-50} i
    for ((i = 0; i < tries; i++)); do
        [[ -f "$IG_LOG" ]] && (($(wc -l <"$IG_LOG") >= n)) && return 0
        sleep 0.1
    done
    return 1
}

# Wait until the log stops growing (no new line for 0.5 s; at most 10 s): the writer is asynchronous.
wait_log_quiet() {
    local last=-1 now i
    for ((i = 0; i < 50; i++)); do
        now=$(wc -l <"$IG_LOG" 2>/dev/null || echo 0)
        if ((now == last)); then return 0; fi
        last=$now
        sleep 0.5
    done
    return 1
}

eve() { "$PY" "$E2E_DIR/eve.py" "$@"; }
# schema_held RC: log_schema_check.py's exit status RC says every line held (77: Suricata's schema
# was missing and ICMPGATE_ALLOW_SKIP=1 let it check the own schema only).
schema_held() { [[ "$1" == 0 || ("$1" == 77 && "${ICMPGATE_ALLOW_SKIP:-}" == 1) ]]; }

# udp_refused ADDRESS [PORT]: 0 when a UDP datagram from the client to ADDRESS:PORT (default 33999,
# closed) is answered by Port Unreachable (the kernel reports it to a connected socket as ECONNREFUSED).
udp_refused() {
    in_ns client "$PY" - "$1" "${2:-33999}" <<'PYEOF'
import socket, sys
address, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((address, port))
s.send(b"icmpgate-e2e")
try:
    s.recv(100)
except ConnectionRefusedError:
    sys.exit(0)
except socket.timeout:
    print("no Port Unreachable within 2 s")
sys.exit(1)
PYEOF
}

# tcp_upload SERVER_ADDRESS BYTES SECONDS [PORT]: one TCP upload client -> server (tcp_upload.py);
# the client's output goes to $LAB_TMP/upload.out. Returns the client's exit status.
tcp_upload() {
    local address=$1 bytes=$2 seconds=$3 port=${4:-5001} server_pid rc i
    # A fresh file per run: the server's "listening" must not be read from the previous run's output.
    rm -f "$LAB_TMP/serve.out"
    : >"$LAB_TMP/serve.out"
    ip netns exec "$(ns_name server)" timeout $((seconds + 5)) "$PY" "$E2E_DIR/tcp_upload.py" serve "$address" \
        "$port" $((seconds + 3)) >"$LAB_TMP/serve.out" 2>&1 &
    server_pid=$!
    for ((i = 0; i < 100; i++)); do grep -q listening "$LAB_TMP/serve.out" && break; sleep 0.1; done
    in_ns client timeout $((seconds + 2)) "$PY" "$E2E_DIR/tcp_upload.py" send "$address" "$port" \
        "$bytes" "$seconds" >"$LAB_TMP/upload.out" 2>&1
    rc=$?
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    return $rc
}
# flush_client_cache / route_mtu ADDRESS: the client's learnt path MTUs ("none" when nothing learnt).
flush_client_cache() {
    in_ns client ip route flush cache
    in_ns client ip -6 route flush cache
}
route_mtu() {
    local mtu
    mtu=$(in_ns client ip route get "$1" | sed -n 's/.* mtu \([0-9]\+\).*/\1/p' | head -n 1)
    echo "${mtu:-none}"
}

# Replies received by a ping run, from its summary line ("N packets transmitted, M received").
ping_received() { sed -n 's/.* \([0-9]\+\) received.*/\1/p' | head -n 1; }
ping_transmitted() { sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' | head -n 1; }
# The client pings the server 3 times from each first source, 2 from each second: B_REPLIES replies expected.
pings_from_both_sources() { # B_REPLIES B_WHAT
    local out
    out=$(in_ns client ping -c 3 -i 0.2 -W 1 -I "$CLIENT4" "$SERVER4")
    check_eq "v4 ping from $CLIENT4: 3 of 3 replies" 3 "$(ping_received <<<"$out")"
    out=$(in_ns client ping -6 -c 3 -i 0.2 -W 1 -I "$CLIENT6" "$SERVER6")
    check_eq "v6 ping from $CLIENT6: 3 of 3 replies" 3 "$(ping_received <<<"$out")"
    out=$(in_ns client ping -c 2 -i 0.2 -W 1 -I "$CLIENT4_B" "$SERVER4")
    check_eq "v4 ping from $CLIENT4_B: $2" "$1" "$(ping_received <<<"$out")"
    out=$(in_ns client ping -6 -c 2 -i 0.2 -W 1 -I "$CLIENT6_B" "$SERVER6")
    check_eq "v6 ping from $CLIENT6_B: $2" "$1" "$(ping_received <<<"$out")"
}

# A signal (run_all's timeout, ^C) ends the script through exit, so its EXIT trap (lab_down) runs.
trap 'exit 143' TERM
trap 'exit 130' INT

DEFAULT_POLICY=${IG_DEFAULT_POLICY:-$REPO_DIR/deploy/policies/default.json}
