#!/usr/bin/env bash
# The other files under deploy/ do what docs/deployment.md says:
#   - both units pass `systemd-analyze verify` (catches misspelt directives, which the security
#     score silently ignores), with the daemon's path pointed at a stand-in executable;
#   - the sysusers entry creates a locked-down system user icmpgate;
#   - logrotate rotates by renaming, creates the new file with the daemon's owner and mode,
#     signals the daemon (USR1, main process only) and never uses copytruncate;
#   - the queue range agrees across the unit, the nft file and the iptables script;
#   - with the icmpgate binary as $1: every option ExecStart passes to `icmpgate run` exists.
# Fails when systemd tools or logrotate are missing (ICMPGATE_ALLOW_SKIP=1: skips, exit 77).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deploy=$root/deploy
icmpgate_bin=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/../support/prerequisites.sh"  # missing_prerequisite
for tool in systemd-analyze systemd-sysusers logrotate; do
  command -v "$tool" >/dev/null 2>&1 || missing_prerequisite "$tool is missing (apt-get install systemd logrotate)"
done

failures=0
passes=0
expect() {  # expect NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $1: expected [$2], got [$3]" >&2; fi
}

# --- units: systemd-analyze verify ---------------------------------------------------------------
mkdir -p "$work/units"
sed 's#/usr/sbin/icmpgate#/bin/true#g' "$deploy/systemd/icmpgate.service" >"$work/units/icmpgate.service"
sed 's#/usr/sbin/nft#/bin/true#g' "$deploy/systemd/icmpgate-rules.service" >"$work/units/icmpgate-rules.service"
for unit in icmpgate.service icmpgate-rules.service; do
  out=$(systemd-analyze verify --man=no "$work/units/$unit" 2>&1) && rc=0 || rc=$?
  # Dependencies on units absent from this machine (nftables.service) are not errors of ours.
  out=$(printf '%s\n' "$out" | grep -v -e 'nftables.service' -e '^$' || true)
  expect "verify $unit: exit code" 0 "$rc"
  expect "verify $unit: messages" "" "$out"
done

# --- sysusers ------------------------------------------------------------------------------------
mkdir -p "$work/sysroot/etc"
systemd-sysusers --root="$work/sysroot" "$deploy/systemd/icmpgate.sysusers" >/dev/null 2>&1
entry=$(grep '^icmpgate:' "$work/sysroot/etc/passwd" || true)
expect "sysusers: home and shell" "/:/usr/sbin/nologin" "$(printf '%s' "$entry" | cut -d: -f6-7)"
uid=$(printf '%s' "$entry" | cut -d: -f3)
if [[ -n "$uid" ]] && ((uid > 0 && uid < 1000)); then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: sysusers: uid '$uid' is not a system uid" >&2; fi
expect "sysusers: own group" "icmpgate" "$(grep "^icmpgate:x:$(printf '%s' "$entry" | cut -d: -f4):" "$work/sysroot/etc/group" | cut -d: -f1)"

# --- logrotate -----------------------------------------------------------------------------------
conf=$deploy/logrotate/icmpgate
expect "logrotate: no copytruncate" "0" "$(grep -v '^\s*#' "$conf" | grep -c copytruncate || true)"
expect "logrotate: create line" "    create 0640 icmpgate icmpgate" "$(grep '^\s*create ' "$conf")"
expect "logrotate: reopen signal" "        systemctl kill --kill-whom=main --signal=USR1 icmpgate.service >/dev/null 2>&1 || true" \
  "$(sed -n '/postrotate/,/endscript/p' "$conf" | sed -n 2p)"
# A real rotation of a copy pointed at a scratch directory laid out like LogsDirectory= makes it
# (0750, owned by the service user; here uid 65534 stands in for icmpgate, and the current user
# when not root), with the signal replaced by a marker file.
logs=$work/log
mkdir -p "$logs"
owner=$(id -un) group=$(id -gn)
if [[ $(id -u) -eq 0 ]]; then owner=$(id -un 65534) group=$(getent group 65534 | cut -d: -f1); fi
sed -e "s#/var/log/icmpgate/#$logs/#" -e "s#create 0640 icmpgate icmpgate#create 0640 $owner $group#" \
    -e "s#systemctl kill .*#touch $work/signalled#" "$conf" >"$work/logrotate.conf"
printf '{"event_type":"icmp_verdict"}\n' >"$logs/eve.json"
chown "$owner:$group" "$logs" "$logs/eve.json"
chmod 0750 "$logs"
inode_before=$(stat -c %i "$logs/eve.json")
logrotate --force --state "$work/logrotate.state" "$work/logrotate.conf"
expect "logrotate: old file renamed, not copied" "$inode_before" "$(stat -c %i "$logs/eve.json.1" 2>/dev/null || echo missing)"
expect "logrotate: new file created empty, 0640, the daemon's owner" "0:640:$owner:$group" \
  "$(stat -c %s:%a:%U:%G "$logs/eve.json" 2>/dev/null || echo missing)"
expect "logrotate: daemon signalled" "yes" "$([[ -e $work/signalled ]] && echo yes || echo no)"
expect "logrotate: delaycompress keeps .1 plain" "yes" "$([[ -e $logs/eve.json.1 && ! -e $logs/eve.json.1.gz ]] && echo yes || echo no)"

# --- one queue range everywhere ------------------------------------------------------------------
unit_queues=$(grep '^ExecStart=' "$deploy/systemd/icmpgate.service" | sed -E 's/.*--queue ([0-9:]+).*/\1/')
nft_queues=$(grep -v '^\s*#' "$deploy/nftables/icmpgate.nft" | grep -o 'queue flags [a-z,]* to [0-9-]*' | sed -E 's/.* to //' | sort -u)
script_queues=$(sed -n 's/^queues="\([0-9:]*\)"$/\1/p' "$deploy/iptables/icmpgate-rules.sh")
expect "unit --queue matches nft 'to N-M'" "$unit_queues" "${nft_queues/-/:}"
expect "unit --queue matches the script's default" "$unit_queues" "$script_queues"

# --- ExecStart options exist in the CLI ----------------------------------------------------------
if [[ -n "$icmpgate_bin" ]]; then
  help=$("$icmpgate_bin" run --help 2>&1 || true)
  while IFS= read -r option; do
    expect "icmpgate run knows $option" "yes" "$(grep -q -- "$option" <<<"$help" && echo yes || echo no)"
  done < <(grep -E '^ExecStart=/usr/sbin/icmpgate' "$deploy/systemd/icmpgate.service" | grep -o -- '--[a-z-]*' | sort -u)
  expect "ExecStartPre's 'icmpgate check' takes a policy file" "yes" \
    "$("$icmpgate_bin" check --help 2>&1 | grep -q POLICY && echo yes || echo no)"
fi

echo "deploy_files_test: $passes passed, $failures failed"
((failures == 0))
