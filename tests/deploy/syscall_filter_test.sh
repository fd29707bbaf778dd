#!/usr/bin/env bash
# The unit's sandbox must not kill or cripple the daemon. This machine may have no systemd as
# PID 1, so the unit cannot simply be started; instead the daemon runs under strace, as an
# unprivileged user with only CAP_NET_ADMIN, through its whole life (bind, packets of both
# families, SIGHUP reload, SIGUSR1 reopen, SIGTERM), and every system call it makes after its
# execve must be allowed by the unit's SystemCallFilter= lines, every socket it opens must be of
# a family in RestrictAddressFamilies=, and it must write nowhere but its log directory.
# Usage: syscall_filter_test.sh ICMPGATE_BINARY. Needs root, strace, systemd-analyze; without them
# it fails (ICMPGATE_ALLOW_SKIP=1: skips). Sanitizer builds make extra calls of their own, so it
# cannot judge one (the unit ships the release binary): CMake does not register it for them, and
# run by hand on one it fails the same way.
set -euo pipefail

readonly kUnprivilegedUid=65534
readonly kBindTimeoutTenths=50
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
unit=$root/deploy/systemd/icmpgate.service
rules=$root/deploy/iptables/icmpgate-rules.sh
icmpgate=$(readlink -f "${1:?usage: syscall_filter_test.sh ICMPGATE_BINARY}")
ns=igt-sysc-$$
work=$(mktemp -d)
tracer_pid=""

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
[[ $(id -u) -eq 0 ]] || missing_prerequisite "needs root"
for tool in ip nft iptables ip6tables ping setpriv strace systemd-analyze; do
  command -v "$tool" >/dev/null 2>&1 || missing_prerequisite "$tool is missing (apt-get install iproute2 iptables nftables iputils-ping util-linux strace systemd)"
done
if nm -D "$icmpgate" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
  missing_prerequisite "$icmpgate is a sanitizer build; its runtime makes system calls the release binary does not"
fi

cleanup() {
  if [[ -n "$tracer_pid" ]]; then kill -9 "$tracer_pid" 2>/dev/null || true; wait "$tracer_pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" || missing_prerequisite "cannot create network namespace $ns"
chmod 0755 "$work"
mkdir -m 0777 "$work/log"
cat >"$work/policy.json" <<'EOF'
{
  "version": 1,
  "default_verdict": "accept",
  "rules": [
    { "id": "sandbox-drop-echo", "match": { "type": "echo-request" }, "verdict": "drop" }
  ]
}
EOF
chmod 0644 "$work/policy.json"

# --- what the unit allows -------------------------------------------------------------------------
# expand_set @GROUP: the system calls of a group, groups inside it expanded.
expand_set() {
  systemd-analyze syscall-filter "$1" | sed -e 's/^\s*//' -e '/^#/d' -e '/^$/d' | tail -n +2 |
    while read -r item; do
      if [[ $item == @* ]]; then expand_set "$item"; else echo "$item"; fi
    done
}
: >"$work/allowed"
while IFS= read -r spec; do
  deny=false
  if [[ $spec == "~"* ]]; then deny=true; spec=${spec#\~}; fi
  : >"$work/this"
  for item in $spec; do
    if [[ $item == @* ]]; then expand_set "$item" >>"$work/this"; else echo "$item" >>"$work/this"; fi
  done
  sort -u -o "$work/this" "$work/this"
  if [[ $deny == true ]]; then
    comm -23 "$work/allowed" "$work/this" >"$work/next"
  else
    sort -u "$work/allowed" "$work/this" >"$work/next"
  fi
  mv "$work/next" "$work/allowed"
done < <(sed -n 's/^SystemCallFilter=//p' "$unit")
families=$(sed -n 's/^RestrictAddressFamilies=//p' "$unit")
if [[ ! -s "$work/allowed" || -z "$families" ]]; then
  echo "FAIL: the unit has no SystemCallFilter= or RestrictAddressFamilies=" >&2
  exit 1
fi

# --- the daemon's life under strace -------------------------------------------------------------
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
in_ns "$rules" --chains input install >/dev/null
ip netns exec "$ns" strace -f -qq -o "$work/trace" \
  setpriv --reuid="$kUnprivilegedUid" --regid="$kUnprivilegedUid" --clear-groups \
  --inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin --bounding-set=-all,+net_admin --no-new-privs \
  "$icmpgate" run --policy "$work/policy.json" --queue 0:1 --log "$work/log/eve.json" \
  --stats-interval 1 --metrics-file "$work/log/icmpgate.prom" --metrics-interval 1 2>"$work/daemon.err" &
tracer_pid=$!
for ((i = 0; i < kBindTimeoutTenths; i++)); do
  [[ $(in_ns cat /proc/net/netfilter/nfnetlink_queue | awk '$1 == 0 || $1 == 1' | grep -c . || true) == 2 ]] && break
  sleep 0.1
done
daemon_pid=$(awk -v bin="$icmpgate" 'index($0, "execve(\"" bin "\"") { print $1; exit }' "$work/trace")
[[ -n "$daemon_pid" ]] || { echo "FAIL: the daemon never started" >&2; cat "$work/daemon.err" >&2; exit 1; }
in_ns ping -4 -c 2 -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1 || true
in_ns ping -6 -c 2 -i 0.2 -W 1 ::1 >/dev/null 2>&1 || true
kill -HUP "$daemon_pid"; sleep 0.5
mv "$work/log/eve.json" "$work/log/eve.json.1"
kill -USR1 "$daemon_pid"; sleep 0.3
in_ns ping -4 -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 || true
kill -TERM "$daemon_pid"
rc=0
wait "$tracer_pid" || rc=$?
tracer_pid=""

failures=0
passes=0
expect() {  # expect NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $1: expected [$2], got [$3]" >&2; fi
}
expect "daemon exit code after SIGTERM" 0 "$rc"
# Verdict records only: stats events (--stats-interval, and one at exit) come and go with timing.
expect "records written (4 drops, then 1 after reopen)" "4 1" \
  "$(grep -c '"event_type":"alert"' "$work/log/eve.json.1") $(grep -c '"event_type":"alert"' "$work/log/eve.json")"
expect "stats event at exit, metrics file written (as the unit runs it)" "stats yes" \
  "$(tail -n 1 "$work/log/eve.json" | grep -o '"event_type":"stats"' | cut -d'"' -f4) $([[ -s $work/log/icmpgate.prom ]] && echo yes)"

# Only what the daemon did after its own execve counts (setpriv's setresuid/capset do not).
awk -v bin="$icmpgate" 'index($0, "execve(\"" bin "\"") { on = 1 } on' "$work/trace" >"$work/daemon.trace"
grep -oE '^[0-9]+ +[a-z_0-9]+\(' "$work/daemon.trace" | awk '{ sub(/\(/, "", $2); print $2 }' | sort -u >"$work/used"
# The empty answers below prove something only if the trace was read: the daemon's core calls are in it.
expect "the trace holds the daemon's calls (socket bind sendto recvfrom openat write)" "6" \
  "$(grep -cxE 'socket|bind|sendto|recvfrom|openat|write' "$work/used")"
expect "system calls outside SystemCallFilter=" "" "$(comm -23 "$work/used" "$work/allowed" | tr '\n' ' ' | sed 's/ $//')"
used_families=$(grep -oE 'socket\(AF_[A-Z0-9]+' "$work/daemon.trace" | sed 's/socket(//' | sort -u | tr '\n' ' ' | sed 's/ $//')
expect "the trace shows the netlink socket (the queue) among the families" yes \
  "$([[ " $used_families " == *" AF_NETLINK "* ]] && echo yes || echo no)"
for f in $used_families; do
  expect "socket family $f allowed by RestrictAddressFamilies=" yes "$([[ " $families " == *" $f "* ]] && echo yes || echo no)"
done
# ProtectSystem=strict: writes only under the log directory (the unit's LogsDirectory=).
opened_for_writing=$(grep -E 'open(at)?\(.*O_(WRONLY|RDWR|CREAT)' "$work/daemon.trace" | grep -v '= -1 ' | grep -oE '"[^"]+"' | tr -d '"' | sort -u)
expect "the trace shows the log opened for writing" yes "$(grep -qx "$work/log/eve.json" <<<"$opened_for_writing" && echo yes || echo no)"
writes=$(grep -v "^$work/log/" <<<"$opened_for_writing" || true)
expect "files opened for writing outside the log directory" "" "$writes"
expect "the daemon needed no capability but CAP_NET_ADMIN (no EPERM from the kernel)" "" \
  "$(grep -E '= -1 EPERM' "$work/daemon.trace" | head -n 3 || true)"

# ExecStartPre= and ExecReload= run `icmpgate check` in the same sandbox.
strace -f -qq -o "$work/check.trace" setpriv --reuid="$kUnprivilegedUid" --regid="$kUnprivilegedUid" --clear-groups \
  --no-new-privs "$icmpgate" check "$work/policy.json" >/dev/null 2>&1 && check_rc=0 || check_rc=$?
expect "icmpgate check exit code" 0 "$check_rc"
awk -v bin="$icmpgate" 'index($0, "execve(\"" bin "\"") { on = 1 } on' "$work/check.trace" |
  grep -oE '^[0-9]+ +[a-z_0-9]+\(' | awk '{ sub(/\(/, "", $2); print $2 }' | sort -u >"$work/check.used"
expect "icmpgate check: the trace holds its calls (openat read)" 2 "$(grep -cxE 'openat|read' "$work/check.used")"
expect "icmpgate check: system calls outside SystemCallFilter=" "" "$(comm -23 "$work/check.used" "$work/allowed" | tr '\n' ' ' | sed 's/ $//')"

echo "system calls allowed by the unit: $(grep -c . "$work/allowed")"
echo "system calls used: $(tr '\n' ' ' <"$work/used")"
echo "socket families used: $used_families"
echo "syscall_filter_test: $passes passed, $failures failed"
((failures == 0))
