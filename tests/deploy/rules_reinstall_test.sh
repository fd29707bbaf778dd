#!/usr/bin/env bash
# deploy/iptables/icmpgate-rules.sh under conditions that broke its pipelines (`set -o pipefail`:
# a reader that stops at its first match, such as grep -q, makes the writer die of SIGPIPE and the
# pipeline fail although the match was found):
#   1. a ruleset larger than a pipe buffer (2,000 admin rules, ~137 KB of iptables-save): uninstall
#      must remove every ICMPGATE chain (it used to skip the table it was looking for);
#   2. REINSTALLS (15) reinstalls with --chains forward,input while a CPU burner (bounded by time)
#      loads the machine: each install exits 0 and `status` says installed (exit 0, both chains, both
#      families) after each one (forward used to be taken as not selected now and then, and removed);
#   3. install checks what it installed: with an iptables-restore that loses the FORWARD jump, it
#      exits 1 and names the chain.
# Needs root; fails without root or tools (ICMPGATE_ALLOW_SKIP=1: skips, exit 77).
set -euo pipefail

readonly REINSTALLS=${REINSTALLS:-15}
readonly BURN_SECONDS=120   # upper bound for the CPU burners; they are stopped when the loop ends
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
script=$root/deploy/iptables/icmpgate-rules.sh
ns=igt-reinstall-$$
work=$(mktemp -d)
burners=()

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
[[ $(id -u) -eq 0 ]] || missing_prerequisite "needs root to create a network namespace"
for tool in ip nft iptables ip6tables iptables-save ip6tables-save iptables-restore ip6tables-restore timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing_prerequisite "$tool is missing (apt-get install iproute2 iptables nftables)"
done

cleanup() {
  local pid
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" || missing_prerequisite "cannot create network namespace $ns"

failures=0
passes=0
in_ns() { ip netns exec "$ns" "$@"; }
rules() { in_ns bash "$script" "$@"; }
check() { # NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    passes=$((passes + 1))
  else
    failures=$((failures + 1))
    echo "FAIL: $1: expected '$2', actual '$3'" >&2
  fi
}
icmpgate_lines() { { in_ns iptables-save; in_ns ip6tables-save; } | grep -c ICMPGATE || true; }

# --- 1. a ruleset larger than a pipe buffer ------------------------------------------------------
{
  echo '*filter'
  for ((i = 1; i <= 2000; i++)); do echo "-A FORWARD -s 198.51.100.$((i % 250))/32 -p udp --dport $((1000 + i)) -j ACCEPT"; done
  echo COMMIT
} | in_ns iptables-restore --noflush
check "large ruleset: iptables-save is larger than a pipe buffer (64 KiB)" yes \
  "$( (($(in_ns iptables-save | wc -c) > 65536)) && echo yes || echo no)"
rc=0; rules --chains forward,input install >/dev/null || rc=$?
check "large ruleset: install exits 0" 0 "$rc"
rc=0; rules --chains forward,input status >/dev/null || rc=$?
check "large ruleset: status says installed" 0 "$rc"
rc=0; rules uninstall >/dev/null || rc=$?
check "large ruleset: uninstall exits 0" 0 "$rc"
check "large ruleset: uninstall leaves no ICMPGATE rule or chain" 0 "$(icmpgate_lines)"
in_ns iptables -F FORWARD

# --- 2. reinstalls under CPU load ----------------------------------------------------------------
timeout "$BURN_SECONDS" sh -c 'while :; do :; done' &
burners+=($!)
install_failures=0 status_failures=0
for ((round = 1; round <= REINSTALLS; round++)); do
  if ! rules --chains forward,input install >"$work/install.out" 2>&1; then
    install_failures=$((install_failures + 1))
    echo "round $round: install failed: $(cat "$work/install.out")" >&2
  fi
  rc=0
  rules --chains forward,input status >"$work/status.out" 2>&1 || rc=$?
  if ((rc != 0)) || (($(grep -c ': installed (first rule of' "$work/status.out") != 6)); then
    status_failures=$((status_failures + 1))
    echo "round $round: status exit $rc:" >&2
    grep -E 'installed|not installed' "$work/status.out" >&2 || true
  fi
done
check "$REINSTALLS reinstalls under CPU load: every install exits 0" 0 "$install_failures"
check "$REINSTALLS reinstalls under CPU load: status after each shows all 6 chains first in place" 0 "$status_failures"
for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
rules uninstall >/dev/null
check "uninstall after the reinstalls leaves nothing" 0 "$(icmpgate_lines)"

# --- 3. install verifies what it installed --------------------------------------------------------
# An iptables-restore that silently loses the FORWARD jump, as a failed or racing install would.
mkdir -p "$work/bin"
for t in iptables ip6tables; do
  ln -s "$(command -v "$t")" "$work/bin/$t"
  ln -s "$(command -v "$t-save")" "$work/bin/$t-save"
  printf '#!/bin/sh\ngrep -v -- "-I FORWARD 1 -j ICMPGATE-FWD" | %s "$@"\n' "$(command -v "$t-restore")" >"$work/bin/$t-restore"
  chmod +x "$work/bin/$t-restore"
done
rc=0
in_ns env PATH="$work/bin:$PATH" bash "$script" --chains forward,input install >"$work/lossy.out" 2>&1 || rc=$?
check "install whose FORWARD jump is lost: exit 1" 1 "$rc"
check "install whose FORWARD jump is lost: the chain is named" 1 "$(grep -c 'IPv4: the jump security FORWARD -> ICMPGATE-FWD is not the single first rule' "$work/lossy.out" || true)"
rules uninstall >/dev/null

echo "rules_reinstall_test: $passes passed, $failures failed"
((failures == 0))
