#!/bin/bash
# SIGHUP (issue 3, "End-to-end tests"): icmpgate runs with a policy file; replacing it with a broken
# one and sending SIGHUP keeps the running policy (stderr says so, pings still pass, records still
# carry the old digest); replacing it with a valid one that drops echo requests
# (policies/drop-echo.json) and sending SIGHUP changes behaviour at once: pings fail and the log
# shows reason rule with the new rule id and the new policy's digest. SIGHUP also reopens the log
# (checked with a logrotate-style rename before the second SIGHUP).
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

# ping_ok FAMILY SERVER: replies to 2 pings (spaced for any echo limiter in the default policy).
pings() { in_ns client ping "-$1" -c 2 -i 0.5 -W 1 "$2" 2>&1 | ping_received; }
wait_stderr() { # TEXT: wait up to 5 s for TEXT on the daemon's stderr
    local i
    for ((i = 0; i < 50; i++)); do grep -qF -- "$1" "$IG_ERR" && return 0; sleep 0.1; done
    return 1
}

lab_up || lab_abort lab_up "could not build the lab"
policy="$LAB_TMP/policy.json"
cp "$DEFAULT_POLICY" "$policy"
old_digest=$("$ICMPGATE" check "$policy" | sed -n 's/^digest: //p')
new_digest=$("$ICMPGATE" check "$E2E_DIR/policies/drop-echo.json" | sed -n 's/^digest: //p')
queue_rules_install bypass
start_icmpgate "$policy" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_eq "v4 ping passes under the default policy" 2 "$(pings 4 "$SERVER4")"
check_eq "v6 ping passes under the default policy" 2 "$(pings 6 "$SERVER6")"

# A broken policy: a syntax error.
printf '{ "version": 1, "rules": [ \n' >"$policy"
wait_log_quiet # the log writer lingers up to 10 ms: count only lines already written
lines_before=$(wc -l <"$IG_LOG")
kill -HUP "$IG_PID"
check_true "broken policy: stderr says the running policy is kept" "$(tail -n 3 "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "reload failed: keeping the running policy"
check_true "broken policy: the daemon is still running" "pid $IG_PID gone" kill -0 "$IG_PID"
check_eq "broken policy: v4 ping still passes" 2 "$(pings 4 "$SERVER4")"
check_eq "broken policy: v6 ping still passes" 2 "$(pings 6 "$SERVER6")"
wait_log_lines $((lines_before + 8))
tail -n +$((lines_before + 1)) "$IG_LOG" >"$LAB_TMP/after-broken.json"
check_eq "broken policy: the 8 records after it carry the old digest" 8 \
    "$(eve count "$LAB_TMP/after-broken.json" icmpgate.policy="$old_digest")"

# A valid new policy: echo requests dropped. The log is rotated first (rename, then SIGHUP, as
# logrotate does): the daemon must reopen it and write the new records to a fresh file.
cp "$E2E_DIR/policies/drop-echo.json" "$policy"
mv "$IG_LOG" "$IG_LOG.1"
rotated_lines=$(wc -l <"$IG_LOG.1")
lines_before=0
kill -HUP "$IG_PID"
check_true "new policy: stderr reports the reload" "$(tail -n 3 "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "reloaded $policy ($new_digest"
check_eq "new policy: v4 ping now fails" 0 "$(pings 4 "$SERVER4")"
check_eq "new policy: v6 ping now fails" 0 "$(pings 6 "$SERVER6")"
wait_log_lines $((lines_before + 4))
tail -n +$((lines_before + 1)) "$IG_LOG" >"$LAB_TMP/after-new.json"
check_eq "new policy: v4 echo requests dropped by rule e2e-drop-echo" 2 \
    "$(eve count "$LAB_TMP/after-new.json" ip_v=4 icmp_type=8 verdict.action=drop icmpgate.reason=rule icmpgate.rule=e2e-drop-echo icmpgate.policy="$new_digest")"
check_eq "new policy: v6 echo requests dropped by rule e2e-drop-echo" 2 \
    "$(eve count "$LAB_TMP/after-new.json" ip_v=6 icmp_type=128 verdict.action=drop icmpgate.reason=rule icmpgate.rule=e2e-drop-echo icmpgate.policy="$new_digest")"
check_eq "new policy: no record with the old digest" 0 "$(eve count "$LAB_TMP/after-new.json" icmpgate.policy="$old_digest")"
check_eq "SIGHUP reopened the log: the new records are in a fresh file" 4 "$(wc -l <"$IG_LOG")"
check_eq "SIGHUP reopened the log: nothing more went to the rotated file" "$rotated_lines" "$(wc -l <"$IG_LOG.1")"
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
lab_finish
