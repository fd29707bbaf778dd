#!/usr/bin/env bash
# deploy/iptables/icmpgate-rules.sh, run in a network namespace of the test's own:
#   install writes exactly the expected rules; a second install changes nothing; uninstall gives
#   back the ruleset found before install (the admin's rules untouched); a second uninstall is a
#   no-op that succeeds. Covers bypass and --fail-closed, the pre-limit knobs, both families,
#   INPUT, the mangle table, moving the jump back to the top, and option errors.
# Needs root; fails without root or tools (ICMPGATE_ALLOW_SKIP=1: skips, exit 77).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
script=$root/deploy/iptables/icmpgate-rules.sh
ns=igt-deploy-$$

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
[[ $(id -u) -eq 0 ]] || missing_prerequisite "needs root to create a network namespace"
# nft: uninstall deletes the tables iptables-nft created, which iptables itself cannot.
for tool in ip nft iptables ip6tables iptables-save ip6tables-save iptables-restore ip6tables-restore; do
  command -v "$tool" >/dev/null 2>&1 || missing_prerequisite "$tool is missing (apt-get install iproute2 iptables nftables)"
done

cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns" || missing_prerequisite "cannot create network namespace $ns"

failures=0
passes=0
in_ns() { ip netns exec "$ns" "$@"; }
rules() { in_ns "$script" "$@"; }
# The whole ruleset of both families, comments and counters left out.
snapshot() {
  { in_ns iptables-save; echo "## ip6"; in_ns ip6tables-save; } | grep -v '^#[^#]' | sed -E 's/\[[0-9]+:[0-9]+\]$/[0:0]/'
  if command -v nft >/dev/null 2>&1; then echo "## nft"; in_ns nft list ruleset 2>/dev/null; fi
}
# One table of one family, as iptables-save prints it (nothing if the table does not exist).
table_of() {
  local tool=iptables
  [[ $1 == 6 ]] && tool=ip6tables
  in_ns "$tool-save" | awk -v t="*$2" '$0 == t { on = 1 } on { print } on && $0 == "COMMIT" { on = 0 }' |
    sed -E 's/\[[0-9]+:[0-9]+\]$/[0:0]/'
}

check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    passes=$((passes + 1))
  else
    failures=$((failures + 1))
    echo "FAIL: $1" >&2
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /' >&2 || true
  fi
}
check_rc() {  # check_rc NAME EXPECTED_RC COMMAND...
  local name=$1 want=$2 got=0
  shift 2
  "$@" >/dev/null 2>&1 || got=$?
  check "$name: exit code" "$want" "$got"
}

# --- scenario 1: empty namespace, defaults (forward, queues 0:1, bypass, both families) ---------
before=$(snapshot)
check_rc "status before install" 3 rules status
check_rc "install defaults" 0 rules install
expected_v4='*security
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:ICMPGATE-FWD - [0:0]
-A FORWARD -j ICMPGATE-FWD
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 8 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 13 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 15 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 17 -j RETURN
-A ICMPGATE-FWD -p icmp -j NFQUEUE --queue-balance 0:1 --queue-bypass
COMMIT'
check "defaults: IPv4 security table (queries skipped: queued in raw)" "$expected_v4" "$(table_of 4 security)"
check "defaults: IPv4 raw table (transit queries queued before conntrack)" '*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:ICMPGATE-PRE - [0:0]
:ICMPGATE-QRY - [0:0]
-A PREROUTING -j ICMPGATE-PRE
-A ICMPGATE-PRE -p icmp -m icmp --icmp-type 8 -j ICMPGATE-QRY
-A ICMPGATE-PRE -p icmp -m icmp --icmp-type 13 -j ICMPGATE-QRY
-A ICMPGATE-PRE -p icmp -m icmp --icmp-type 15 -j ICMPGATE-QRY
-A ICMPGATE-PRE -p icmp -m icmp --icmp-type 17 -j ICMPGATE-QRY
-A ICMPGATE-QRY -m addrtype --dst-type LOCAL,BROADCAST,MULTICAST -j RETURN
-A ICMPGATE-QRY -p icmp -j NFQUEUE --queue-balance 0:1 --queue-bypass
COMMIT' "$(table_of 4 raw)"
check "defaults: IPv6 raw table (multicast needs a rule of its own)" \
  '-A ICMPGATE-QRY -m addrtype --dst-type LOCAL,ANYCAST -j RETURN
-A ICMPGATE-QRY -m addrtype --dst-type MULTICAST -j RETURN
-A ICMPGATE-QRY -p ipv6-icmp -j NFQUEUE --queue-balance 0:1 --queue-bypass' "$(table_of 6 raw | grep -- '^-A ICMPGATE-QRY')"
check "defaults: IPv6 security table" '*security
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:ICMPGATE-FWD - [0:0]
-A FORWARD -j ICMPGATE-FWD
-A ICMPGATE-FWD -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j RETURN
-A ICMPGATE-FWD -p ipv6-icmp -m icmp6 --icmpv6-type 139 -j RETURN
-A ICMPGATE-FWD -p ipv6-icmp -j NFQUEUE --queue-balance 0:1 --queue-bypass
COMMIT' "$(table_of 6 security)"
check "defaults: nothing but the security and raw tables added (IPv4)" "" "$(table_of 4 filter)$(table_of 4 mangle)"
check_rc "status after install" 0 rules status
first=$(snapshot)
check_rc "install again" 0 rules install
check "defaults: second install changes nothing" "$first" "$(snapshot)"
check_rc "uninstall" 0 rules uninstall
check "defaults: uninstall restores the empty ruleset" "$before" "$(snapshot)"
check_rc "uninstall again" 0 rules uninstall
check "defaults: second uninstall changes nothing" "$before" "$(snapshot)"
check_rc "status after uninstall" 3 rules status

# --- an admin's ruleset, present before install, must survive untouched ---------------------------
for tool in iptables ip6tables; do
  in_ns "$tool" -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  in_ns "$tool" -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
  in_ns "$tool" -t security -A FORWARD -p tcp --dport 22 -j ACCEPT
done
admin=$(snapshot)

# --- scenario 2: forward+input, fail-closed, global pre-limit dropping, both families -----------
opts=(--chains "forward,input" --fail-closed --prelimit 20000/40000)
check_rc "install fail-closed" 0 rules "${opts[@]}" install
check "fail-closed: IPv4 security table" '*security
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:ICMPGATE-FWD - [0:0]
:ICMPGATE-IN - [0:0]
-A INPUT -j ICMPGATE-IN
-A FORWARD -j ICMPGATE-FWD
-A FORWARD -p tcp -m tcp --dport 22 -j ACCEPT
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 8 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 13 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 15 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 17 -j RETURN
-A ICMPGATE-FWD -p icmp -m hashlimit --hashlimit-above 20000/sec --hashlimit-burst 40000 --hashlimit-name icmpgate-fwd -j DROP
-A ICMPGATE-FWD -p icmp -j NFQUEUE --queue-balance 0:1
-A ICMPGATE-IN -p icmp -m icmp --icmp-type 8 -j RETURN
-A ICMPGATE-IN -p icmp -m icmp --icmp-type 13 -j RETURN
-A ICMPGATE-IN -p icmp -m icmp --icmp-type 15 -j RETURN
-A ICMPGATE-IN -p icmp -m icmp --icmp-type 17 -j RETURN
-A ICMPGATE-IN -p icmp -m hashlimit --hashlimit-above 20000/sec --hashlimit-burst 40000 --hashlimit-name icmpgate-in -j DROP
-A ICMPGATE-IN -p icmp -j NFQUEUE --queue-balance 0:1
COMMIT' "$(table_of 4 security)"
check "fail-closed: IPv6 security table (ND and MLD not queued on INPUT)" '*security
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:ICMPGATE-FWD - [0:0]
:ICMPGATE-IN - [0:0]
-A INPUT -j ICMPGATE-IN
-A FORWARD -j ICMPGATE-FWD
-A FORWARD -p tcp -m tcp --dport 22 -j ACCEPT
-A ICMPGATE-FWD -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j RETURN
-A ICMPGATE-FWD -p ipv6-icmp -m icmp6 --icmpv6-type 139 -j RETURN
-A ICMPGATE-FWD -p ipv6-icmp -m hashlimit --hashlimit-above 20000/sec --hashlimit-burst 40000 --hashlimit-name icmpgate-fwd -j DROP
-A ICMPGATE-FWD -p ipv6-icmp -j NFQUEUE --queue-balance 0:1
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 139 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 130 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 131 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 132 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 133 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 134 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 136 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m icmp6 --icmpv6-type 143 -j RETURN
-A ICMPGATE-IN -p ipv6-icmp -m hashlimit --hashlimit-above 20000/sec --hashlimit-burst 40000 --hashlimit-name icmpgate-in -j DROP
-A ICMPGATE-IN -p ipv6-icmp -j NFQUEUE --queue-balance 0:1
COMMIT' "$(table_of 6 security)"
check "fail-closed: IPv6 raw table (queries to the gateway go to QIN; each chain its own pre-limit)" '*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:ICMPGATE-PRE - [0:0]
:ICMPGATE-QIN - [0:0]
:ICMPGATE-QRY - [0:0]
-A PREROUTING -j ICMPGATE-PRE
-A ICMPGATE-PRE -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ICMPGATE-QRY
-A ICMPGATE-PRE -p ipv6-icmp -m icmp6 --icmpv6-type 139 -j ICMPGATE-QRY
-A ICMPGATE-QIN -p ipv6-icmp -m hashlimit --hashlimit-above 20000/sec --hashlimit-burst 40000 --hashlimit-name icmpgate-in -j DROP
-A ICMPGATE-QIN -p ipv6-icmp -j NFQUEUE --queue-balance 0:1
-A ICMPGATE-QRY -m addrtype --dst-type LOCAL,ANYCAST -g ICMPGATE-QIN
-A ICMPGATE-QRY -m addrtype --dst-type MULTICAST -g ICMPGATE-QIN
-A ICMPGATE-QRY -p ipv6-icmp -m hashlimit --hashlimit-above 20000/sec --hashlimit-burst 40000 --hashlimit-name icmpgate-fwd -j DROP
-A ICMPGATE-QRY -p ipv6-icmp -j NFQUEUE --queue-balance 0:1
COMMIT' "$(table_of 6 raw)"
check_rc "status fail-closed" 0 rules "${opts[@]}" status
first=$(snapshot)
check_rc "install fail-closed again" 0 rules "${opts[@]}" install
check "fail-closed: second install changes nothing" "$first" "$(snapshot)"

# Someone inserts a rule above the jump: install puts the jump back on top, keeps their rule.
in_ns iptables -t security -I FORWARD 1 -p udp --dport 53 -j ACCEPT
check_rc "install after the jump was pushed down" 0 rules "${opts[@]}" install
check "jump moved back to the top, other rule kept" '-A FORWARD -j ICMPGATE-FWD
-A FORWARD -p udp -m udp --dport 53 -j ACCEPT
-A FORWARD -p tcp -m tcp --dport 22 -j ACCEPT' "$(table_of 4 security | grep '^-A FORWARD ')"
in_ns iptables -t security -D FORWARD -p udp --dport 53 -j ACCEPT

# Re-installing with fewer chains removes the INPUT chain it no longer asks for.
check_rc "install forward only" 0 rules --fail-closed --prelimit 20000/40000 install
check "forward only: no ICMPGATE-IN left" "" "$(table_of 4 security | grep 'ICMPGATE-IN' || true)"
check "forward only: no ICMPGATE-QIN left" "" "$(table_of 4 raw | grep 'ICMPGATE-QIN' || true)"
check_rc "uninstall fail-closed" 0 rules uninstall
check "fail-closed: uninstall restores the admin's ruleset" "$admin" "$(snapshot)"
check_rc "uninstall fail-closed again" 0 rules uninstall
check "fail-closed: second uninstall changes nothing" "$admin" "$(snapshot)"

# --- scenario 3: IPv4 only, one queue, per-source pre-limit that skips inspection, mangle -------
opts=(--family 4 --queues 3 --prelimit 50000/100000 --prelimit-per source --over-limit skip --table mangle)
check_rc "install mangle" 0 rules "${opts[@]}" install
check "mangle: IPv4 mangle table" '*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:ICMPGATE-FWD - [0:0]
-A FORWARD -j ICMPGATE-FWD
-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 8 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 13 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 15 -j RETURN
-A ICMPGATE-FWD -p icmp -m icmp --icmp-type 17 -j RETURN
-A ICMPGATE-FWD -p icmp -m hashlimit --hashlimit-above 50000/sec --hashlimit-burst 100000 --hashlimit-mode srcip --hashlimit-name icmpgate-fwd -j RETURN
-A ICMPGATE-FWD -p icmp -j NFQUEUE --queue-num 3 --queue-bypass
COMMIT' "$(table_of 4 mangle)"
check "mangle: the raw table's query rule has the same options" \
  '-A ICMPGATE-QRY -p icmp -m hashlimit --hashlimit-above 50000/sec --hashlimit-burst 100000 --hashlimit-mode srcip --hashlimit-name icmpgate-fwd -j RETURN
-A ICMPGATE-QRY -p icmp -j NFQUEUE --queue-num 3 --queue-bypass' "$(table_of 4 raw | grep -- '^-A ICMPGATE-QRY -p')"
check "mangle: IPv6 untouched with --family 4" "$(printf '%s\n' "$admin" | sed -n '/^## ip6/,/^## nft/p' | sed '1d;$d')" \
  "$(in_ns ip6tables-save | grep -v '^#[^#]' | sed -E 's/\[[0-9]+:[0-9]+\]$/[0:0]/')"
first=$(snapshot)
check_rc "install mangle again" 0 rules "${opts[@]}" install
check "mangle: second install changes nothing" "$first" "$(snapshot)"
# Switching tables moves the chain: exactly one copy exists afterwards.
check_rc "install security after mangle" 0 rules --family 4 install
check "switch: no ICMPGATE chain left in mangle" "" "$(table_of 4 mangle | grep ICMPGATE || true)"
check "switch: one jump in security" "1" "$(table_of 4 security | grep -c -- '-j ICMPGATE-FWD$')"
check_rc "uninstall (IPv4 only)" 0 rules --family 4 uninstall
check "mangle: uninstall restores the admin's ruleset" "$admin" "$(snapshot)"

# --- option errors: usage exit code 2, nothing changed -------------------------------------------
check_rc "queues reversed" 2 rules --queues 5:3 install
check_rc "queue out of range" 2 rules --queues 0:70000 install
check_rc "prelimit without burst" 2 rules --prelimit 100 install
check_rc "family 5" 2 rules --family 5 install
check_rc "unknown chain" 2 rules --chains output install
check_rc "cpu fanout without a range" 2 rules --queues 2 --cpu-fanout install
check_rc "no action" 2 rules
check_rc "empty chain list" 2 rules --chains , install
check "errors changed nothing" "$admin" "$(snapshot)"

echo "rules_install_test: $passes passed, $failures failed"
((failures == 0))
