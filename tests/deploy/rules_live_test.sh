#!/usr/bin/env bash
# The shipped iptables rules and the daemon, live, in a private network namespace (ICMP to the
# namespace's own loopback goes through INPUT). Checks what docs/deployment.md promises:
#   - the daemon runs as an unprivileged user holding only CAP_NET_ADMIN (as the unit runs it),
#     binds queues 0:1 and its policy drops ping, with one log record per packet, both families;
#   - SIGUSR1 reopens the log after a logrotate-style rename;
#   - SIGTERM exits 0;
#   - with no daemon bound: bypass rules let ICMP through, --fail-closed rules stop it;
#   - the pre-limit: --over-limit drop drops what is over the rate, --over-limit skip lets it
#     through uninspected;
#   - uninstall restores plain connectivity.
# Usage: rules_live_test.sh ICMPGATE_BINARY. Needs root; fails without (ICMPGATE_ALLOW_SKIP=1: skips, 77).
set -euo pipefail

readonly kUnprivilegedUid=65534   # nobody: the daemon must need no user of its own
readonly kBindTimeoutTenths=50
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rules=$root/deploy/iptables/icmpgate-rules.sh
icmpgate=${1:?usage: rules_live_test.sh ICMPGATE_BINARY}
ns=igt-live-$$
work=$(mktemp -d)
daemon_pid=""

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
[[ $(id -u) -eq 0 ]] || missing_prerequisite "needs root"
for tool in ip nft iptables ip6tables ping setpriv; do
  command -v "$tool" >/dev/null 2>&1 || missing_prerequisite "$tool is missing (apt-get install iproute2 iptables nftables iputils-ping util-linux)"
done
[[ -x "$icmpgate" ]] || { echo "FAIL: $icmpgate is not executable" >&2; exit 1; }

cleanup() {
  if [[ -n "$daemon_pid" ]]; then kill -9 "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" || missing_prerequisite "cannot create network namespace $ns"
chmod 0755 "$work"
mkdir -m 0777 "$work/log"

failures=0
passes=0
expect() {  # expect NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $1: expected [$2], got [$3]" >&2; fi
}
in_ns() { ip netns exec "$ns" "$@"; }
pings() {  # pings FAMILY COUNT: how many echo replies came back
  in_ns ping "-$1" -n -q -c "$2" -i 0.01 -W 1 "$( [[ $1 == 4 ]] && echo 127.0.0.1 || echo ::1 )" 2>/dev/null |
    sed -n 's/.* \([0-9]*\) received.*/\1/p' || true   # ping exits 1 when nothing came back
}
log_lines() { if [[ -e $1 ]]; then grep -c . "$1"; else echo 0; fi; }
# The log writer batches lines for up to 10 ms after a verdict: wait (bounded, 3 s) until FILE
# has at least N lines, then print its count, so a slow write is a wait and a missing one a FAIL.
settled_lines() {  # settled_lines FILE N
  local i
  for ((i = 0; i < 30; i++)); do (($(log_lines "$1") >= $2)) && break; sleep 0.1; done
  log_lines "$1"
}

in_ns ip link set lo up
cat >"$work/policy.json" <<'EOF'
{
  "version": 1,
  "default_verdict": "accept",
  "rules": [
    { "id": "live-drop-echo", "match": { "type": "echo-request" }, "verdict": "drop" }
  ]
}
EOF
chmod 0644 "$work/policy.json"

expect "install (input, both families)" 0 "$(in_ns "$rules" --chains input install >/dev/null; echo $?)"

# The daemon as the unit runs it: another uid, CAP_NET_ADMIN and nothing else, no new privileges.
# `ip netns exec` and setpriv both exec, so $! is the daemon itself (signals below go to it).
ip netns exec "$ns" setpriv --reuid="$kUnprivilegedUid" --regid="$kUnprivilegedUid" --clear-groups \
  --inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin --bounding-set=-all,+net_admin --no-new-privs \
  "$icmpgate" run --policy "$work/policy.json" --queue 0:1 --log "$work/log/eve.json" 2>"$work/daemon.err" &
daemon_pid=$!
bound=0
for ((i = 0; i < kBindTimeoutTenths; i++)); do
  bound=$(in_ns cat /proc/net/netfilter/nfnetlink_queue | awk '$1 == 0 || $1 == 1' | grep -c . || true)
  ((bound == 2)) && break
  sleep 0.1
done
expect "unprivileged daemon with only CAP_NET_ADMIN binds queues 0 and 1" 2 "$bound"

expect "policy drops IPv4 ping" 0 "$(pings 4 3)"
expect "policy drops IPv6 ping" 0 "$(pings 6 3)"
# ND/MLD are not queued on INPUT, so the 6 echo requests are the only records.
expect "one log record per echo request" 6 "$(settled_lines "$work/log/eve.json" 6)"
expect "records name the rule and verdict" 6 "$(grep -c '"verdict":{"action":"drop"},"icmpgate":{"log_version":2,"reason":"rule","rule":"live-drop-echo"' "$work/log/eve.json" || true)"

# logrotate: rename, then SIGUSR1; the daemon writes to a new file at the old path.
mv "$work/log/eve.json" "$work/log/eve.json.1"
kill -USR1 "$daemon_pid"
sleep 0.3
pings 4 2 >/dev/null
sleep 0.3
expect "after rename + SIGUSR1 the new file gets the records" 2 "$(settled_lines "$work/log/eve.json" 2)"
expect "the renamed file is left alone" 6 "$(log_lines "$work/log/eve.json.1")"

kill -TERM "$daemon_pid"
rc=0
wait "$daemon_pid" || rc=$?
daemon_pid=""
expect "SIGTERM: exit 0" 0 "$rc"

expect "no daemon, bypass rules: IPv4 ICMP passes" 3 "$(pings 4 3)"
expect "no daemon, bypass rules: IPv6 ICMP passes" 3 "$(pings 6 3)"
in_ns "$rules" --chains input --fail-closed install >/dev/null
expect "no daemon, fail-closed rules: IPv4 ICMP stops" 0 "$(pings 4 3)"
expect "no daemon, fail-closed rules: IPv6 ICMP stops" 0 "$(pings 6 3)"
expect "status names the fail-closed state" 1 "$(in_ns "$rules" --chains input status | grep -c '0: no daemon bound (fail-closed rules DROP ICMP)' || true)"

# Pre-limit 10/s, burst 10, in front of a bypass queue: over the limit, drop vs skip. On loopback
# both the echo request and its reply cross INPUT, so each ping costs two tokens.
in_ns "$rules" --chains input --family 4 --prelimit 10/10 --over-limit drop install >/dev/null
got=$(pings 4 30)
if ((got > 0 && got < 30)); then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: pre-limit drop: $got of 30 replies (want some, not all)" >&2; fi
dropped=$(in_ns iptables -t security -L ICMPGATE-IN -v -n -x | awk '$3 == "DROP" { print $1 }')
if ((dropped > 0)); then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: pre-limit rule counted no drops" >&2; fi
in_ns "$rules" --chains input --family 4 --prelimit 10/10 --over-limit skip install >/dev/null
expect "pre-limit skip: everything passes" 30 "$(pings 4 30)"

in_ns "$rules" uninstall >/dev/null
expect "after uninstall: IPv4 ICMP passes" 3 "$(pings 4 3)"
expect "after uninstall: no tables left" "" "$(in_ns nft list ruleset)"

if ((failures > 0)); then echo "daemon stderr:" >&2; sed 's/^/    /' "$work/daemon.err" >&2; fi
echo "rules_live_test: $passes passed, $failures failed"
((failures == 0))
