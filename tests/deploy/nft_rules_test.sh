#!/usr/bin/env bash
# deploy/nftables/icmpgate.nft must be accepted by nft, as shipped and with each documented knob
# (pre-limit lines uncommented, fail-closed without "bypass"). `nft -c` is not a pure parser: it
# sends the batch to the kernel in check mode, so on a kernel without nft_queue every queue rule
# fails with "Could not process rule: No such file or directory" while everything else is still
# checked. That one error on queue lines is tolerated; any other error (syntax, unknown type
# name, bad set) fails. In a private namespace the file is also loaded for real (queue replaced
# by accept when the kernel lacks nft_queue), loaded twice (the reload idiom), and deleted.
# Needs root and nft; fails without them (ICMPGATE_ALLOW_SKIP=1: skips, exit 77).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rules=$root/deploy/nftables/icmpgate.nft
ns=igt-nft-$$
work=$(mktemp -d)

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
[[ $(id -u) -eq 0 ]] || missing_prerequisite "needs root (nft -c talks to the kernel)"
command -v nft >/dev/null 2>&1 || missing_prerequisite "nft is missing (apt-get install nftables)"
command -v ip >/dev/null 2>&1 || missing_prerequisite "ip is missing (apt-get install iproute2)"

cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns" || missing_prerequisite "cannot create network namespace $ns"

failures=0
passes=0
pass() { passes=$((passes + 1)); }
fail() { failures=$((failures + 1)); echo "FAIL: $*" >&2; }
kernel_has_queue=unknown

# check_file NAME FILE: nft -c in the namespace; only missing-nft_queue errors on queue lines pass.
check_file() {
  local name=$1 file=$2 out rc=0 bad
  out=$(ip netns exec "$ns" nft -c -f "$file" 2>&1) || rc=$?
  if ((rc == 0)); then kernel_has_queue=yes; pass; return; fi
  # Each error is reported as "FILE:LINE:COLS: Error: MESSAGE" followed by the rule and a caret line.
  bad=$(printf '%s\n' "$out" | grep 'Error:' | grep -v 'Error: Could not process rule: No such file or directory' || true)
  if [[ -n "$bad" ]]; then fail "$name: $bad"; return; fi
  local line lineno
  while IFS= read -r line; do
    lineno=$(printf '%s\n' "$line" | sed -E 's/^[^:]*:([0-9]+):.*/\1/')
    if ! sed -n "${lineno}p" "$file" | grep -q '\bqueue\b'; then
      fail "$name: the kernel rejected a non-queue rule at line $lineno: $(sed -n "${lineno}p" "$file")"
      return
    fi
  done < <(printf '%s\n' "$out" | grep 'Error:')
  kernel_has_queue=no
  pass
}

check_file "shipped file" "$rules"
sed -E 's/^(\s*)#(meta|icmp)/\1\2/' "$rules" >"$work/prelimits.nft"
check_file "every pre-limit line uncommented" "$work/prelimits.nft"
sed -E 's/queue flags bypass,fanout/queue flags fanout/' "$rules" >"$work/fail-closed.nft"
if grep -v '^\s*#' "$work/fail-closed.nft" | grep -q bypass; then fail "fail-closed variant still has bypass"; fi
check_file "fail-closed variant" "$work/fail-closed.nft"

# A real error must not be mistaken for the missing-module error: a misspelt type name.
sed -E 's/nd-neighbor-solicit/nd-neighbour-solicit/' "$rules" >"$work/broken.nft"
if ip netns exec "$ns" nft -c -f "$work/broken.nft" >"$work/broken.out" 2>&1; then
  fail "a misspelt ICMPv6 type name was accepted"
elif grep 'Error:' "$work/broken.out" | grep -qv 'Could not process rule: No such file or directory'; then
  pass
else
  fail "a misspelt ICMPv6 type name was not reported as such: $(cat "$work/broken.out")"
fi

# Load for real, twice (the file's "table; delete table; table {...}" idiom), then delete.
loadable=$rules
if [[ $kernel_has_queue == no ]]; then
  sed -E 's/queue flags bypass,fanout to 0-1/accept/' "$rules" >"$work/loadable.nft"
  loadable=$work/loadable.nft
  echo "note: this kernel lacks nft_queue; loading with queue replaced by accept"
fi
if ip netns exec "$ns" nft -f "$loadable" && first=$(ip netns exec "$ns" nft list table inet icmpgate); then
  pass
  if ip netns exec "$ns" nft -f "$loadable" && [[ "$(ip netns exec "$ns" nft list table inet icmpgate)" == "$first" ]]; then
    pass
  else
    fail "loading the file twice did not give the same table"
  fi
  # Three base chains: prerouting at priority raw (queries, before conntrack), forward and input
  # at priority filter + 10; no output hook.
  hooks=$(printf '%s\n' "$first" | grep -o 'hook [a-z]* priority [a-z0-9 +-]*;' | sort | tr '\n' '|')
  if [[ "$hooks" == "hook forward priority filter + 10;|hook input priority filter + 10;|hook prerouting priority raw;|" ]]; then pass; else fail "unexpected hooks: $hooks"; fi
  if [[ $kernel_has_queue == yes ]]; then
    if [[ $(printf '%s\n' "$first" | grep -c 'queue flags bypass,fanout to 0-1') == 6 ]]; then pass; else fail "queue rules not listed as shipped"; fi
  fi
  # Every query type skipped on forward/input is queued in prerouting, and the reverse.
  query_sets=$(printf '%s\n' "$first" | grep -oE 'icmp(v6)? type \{[^}]*\}' | grep -v mld-listener | sort | uniq -c | awk '{ $1 = $1; print }')
  if [[ "$query_sets" == "4 icmp type { echo-request, timestamp-request, info-request, address-mask-request }
4 icmpv6 type { echo-request, 139 }" ]]; then pass; else fail "query type sets differ between chains: $query_sets"; fi
  if ip netns exec "$ns" nft delete table inet icmpgate && [[ -z "$(ip netns exec "$ns" nft list ruleset)" ]]; then
    pass
  else
    fail "nft delete table inet icmpgate did not leave an empty ruleset"
  fi
else
  fail "nft -f could not load $loadable"
fi

echo "kernel nft_queue support: $kernel_has_queue"
echo "nft_rules_test: $passes passed, $failures failed"
((failures == 0))
