#!/bin/bash
# Issue 5, security: `icmpgate run --user nobody`, started as root in the lab's gw namespace,
# keeps only CAP_NET_ADMIN (CapEff, CapPrm and CapBnd of /proc/PID/status are bit 12 alone)
# and runs as nobody; filtering still works; SIGHUP still reloads a policy nobody can read
# (and keeps the old one, saying why, when nobody cannot read it); the daemon refuses to start
# with a policy file others can write, and refuses such a file at reload (old policy kept).
LAB_NS_PREFIX=${LAB_NS_PREFIX:-ig-priv-}  # apart from the e2e suite's lab
source "$(dirname "$0")/../e2e/lab.sh"
trap lab_down EXIT

readonly CAP_NET_ADMIN_ONLY=0000000000001000  # 1 << 12
pings() { in_ns client ping "-$1" -c 2 -i 0.5 -W 1 "$2" 2>&1 | ping_received; }
wait_stderr() { # TEXT: wait up to 5 s for TEXT on the daemon's stderr
    local i
    for ((i = 0; i < 50; i++)); do grep -qF -- "$1" "$IG_ERR" && return 0; sleep 0.1; done
    return 1
}
wait_file_nonempty() { # FILE: wait up to 5 s
    local i
    for ((i = 0; i < 50; i++)); do [[ -s $1 ]] && return 0; sleep 0.1; done
    return 1
}
status_field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$IG_PID/status"; }

lab_require
lab_up || lab_abort lab_up "could not build the lab"
nobody_uid=$(id -u nobody)
# nobody must be able to reach the policy and reopen the log after the switch.
chmod 0755 "$LAB_TMP"
policy="$LAB_TMP/policy.json"
install -m 0644 "$DEFAULT_POLICY" "$policy"
logdir="$LAB_TMP/log"
install -d -m 0755 -o nobody "$logdir"
IG_LOG="$logdir/eve.json"
queue_rules_install nobypass

# Refused at start: a policy file others can write.
chmod 0666 "$policy"
: >"$IG_ERR"
ip netns exec "$(ns_name gw)" "$ICMPGATE" run --policy "$policy" --queue 0 --no-log 2>"$IG_ERR" >/dev/null
check_eq "world-writable policy: exit status 1" 1 "$?"
check_contains "world-writable policy: stderr names the file and its mode" \
    "$policy: error: refusing an insecure policy file (mode 0666, owner uid 0 (root))" "$IG_ERR"
chmod 0644 "$policy"

start_icmpgate "$policy" --user nobody || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_contains "stderr says what it kept" \
    "running with capabilities net_admin, uid $nobody_uid (nobody)" "$IG_ERR"
check_eq "CapEff is CAP_NET_ADMIN only" "$CAP_NET_ADMIN_ONLY" "$(status_field CapEff)"
check_eq "CapPrm is CAP_NET_ADMIN only" "$CAP_NET_ADMIN_ONLY" "$(status_field CapPrm)"
check_eq "CapBnd is CAP_NET_ADMIN only" "$CAP_NET_ADMIN_ONLY" "$(status_field CapBnd)"
check_eq "CapInh is empty" 0000000000000000 "$(status_field CapInh)"
check_eq "real, effective, saved and fs uid are nobody's" "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" \
    "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$IG_PID/status")"
check_eq "no supplementary groups" "" "$(awk '$1 == "Groups:" { print $2 }' "/proc/$IG_PID/status")"
# Every thread (queue workers, log writer) holds no more than the main thread.
for task in /proc/"$IG_PID"/task/*; do
    check_eq "thread ${task##*/}: CapEff within CAP_NET_ADMIN" ok \
        "$(awk '$1 == "CapEff:" { print (($2 == "0000000000001000" || $2 == "0000000000000000") ? "ok" : $2) }' "$task/status")"
done
check_eq "v4 ping passes as nobody" 2 "$(pings 4 "$SERVER4")"
check_eq "v6 ping passes as nobody" 2 "$(pings 6 "$SERVER6")"

# SIGHUP as nobody: a root-owned 0644 policy that drops echo requests is read and applied.
install -m 0644 "$E2E_DIR/policies/drop-echo.json" "$policy"
kill -HUP "$IG_PID"
check_true "reload as nobody: stderr says reloaded" "$(tail -n 3 "$IG_ERR" | tr '\n' '|')" wait_stderr "reloaded $policy"
check_eq "reload as nobody: v4 ping now dropped" 0 "$(pings 4 "$SERVER4")"
mv "$IG_LOG" "$IG_LOG.1"
kill -HUP "$IG_PID"
sleep 0.5
pings 4 "$SERVER4" >/dev/null
check_true "reload as nobody reopens the log in nobody's directory" "no new $IG_LOG" \
    wait_file_nonempty "$IG_LOG"

# A policy nobody cannot read: the reload fails, says why, and the old policy stays.
install -m 0600 "$DEFAULT_POLICY" "$policy"
kill -HUP "$IG_PID"
check_true "unreadable policy: stderr says permission denied" "$(tail -n 3 "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "cannot read: Permission denied"
check_true "unreadable policy: stderr says the running policy is kept" "$(tail -n 3 "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "reload failed: keeping the running policy"
check_eq "unreadable policy: echo still dropped by the old policy" 0 "$(pings 4 "$SERVER4")"

# A policy others can write: refused at reload, the old policy stays.
install -m 0646 "$DEFAULT_POLICY" "$policy"
kill -HUP "$IG_PID"
check_true "insecure policy at reload: refused with its mode" "$(tail -n 3 "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "refusing an insecure policy file (mode 0646"
check_eq "insecure policy at reload: echo still dropped by the old policy" 0 "$(pings 4 "$SERVER4")"
check_true "the daemon is still running" "pid $IG_PID gone" kill -0 "$IG_PID"

stop_icmpgate
check_eq "SIGTERM as nobody: exit 0" 0 "$IG_EXIT"
lab_finish
