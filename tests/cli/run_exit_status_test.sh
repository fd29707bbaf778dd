#!/bin/bash
# `icmpgate run` exit statuses (issue 6, "Exit codes"; docs/operations.md, icmpgate(8)):
# 1 invalid policy, 2 usage, 69 a queue that cannot be bound (no CAP_NET_ADMIN), 71 a log
# that cannot be opened; and the unit's RestartPreventExitStatus names exactly 1 and 2.
#   run_exit_status_test.sh ICMPGATE REPO_ROOT
# The 69 case runs the daemon as nobody (setpriv) and needs root; without it the script fails
# (ICMPGATE_ALLOW_SKIP=1: the other cases run, then it exits 77).
set -u
icmpgate=$1
repo=$2
fails=0
passes=0
expect() { # NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then passes=$((passes + 1)); echo "PASS $1"
    else fails=$((fails + 1)); echo "FAIL $1: expected '$2', actual '$3'"; fi
}
work=$(mktemp -d /tmp/icmpgate-exit.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
policy="$work/policy.json"
install -m 0644 "$repo/deploy/policies/default.json" "$policy"
echo '{ "version": 1, "rules": [ { "id": "x" } ] }' >"$work/bad.json"

timeout 10 "$icmpgate" run --policy "$work/bad.json" --no-log >/dev/null 2>"$work/err"
expect "invalid policy: exit 1" 1 $?
timeout 10 "$icmpgate" run --policy "$policy" --queue 7:3 --no-log >/dev/null 2>"$work/err"
expect "malformed --queue: exit 2" 2 $?
timeout 10 "$icmpgate" run --policy "$policy" --no-such-option >/dev/null 2>"$work/err"
expect "unknown option: exit 2" 2 $?
timeout 10 "$icmpgate" run >/dev/null 2>"$work/err"
expect "missing --policy: exit 2" 2 $?
timeout 10 "$icmpgate" run --policy "$policy" --log /nonexistent-icmpgate-dir/eve.json >/dev/null 2>"$work/err"
expect "log cannot be opened: exit 71" 71 $?

if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
    # Without CAP_NET_ADMIN the queue bind fails. A queue number nothing else uses.
    timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \
        "$icmpgate" run --policy "$policy" --queue 65001 --no-log >/dev/null 2>"$work/err"
    expect "queue cannot be bound (no CAP_NET_ADMIN): exit 69" 69 $?
else
    skipped="the exit 69 case needs root and setpriv"
fi

unit_prevent=$(sed -n 's/^RestartPreventExitStatus=//p' "$repo/deploy/systemd/icmpgate.service")
expect "unit: RestartPreventExitStatus = the statuses a restart cannot fix" "1 2" "$unit_prevent"
expect "unit: Restart=on-failure (69 and 71 are retried)" on-failure \
    "$(sed -n 's/^Restart=//p' "$repo/deploy/systemd/icmpgate.service")"
echo "run_exit_status_test: $passes passed, $fails failed"
((fails == 0)) || exit 1
if [[ -n "${skipped:-}" ]]; then
    source "$(dirname "$0")/../support/prerequisites.sh"
    missing_prerequisite "$skipped"
fi
