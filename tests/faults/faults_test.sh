#!/bin/bash
# Faults, each with its outcome asserted, in the e2e lab (icmpgate on gw's FORWARD):
#   - the log disk fills (a 64 KiB tmpfs): filtering goes on, lost lines are counted in the exit
#     summary, and a log_gap event with reason write-error appears once space returns (valid
#     against docs/log.schema.json and Suricata's EVE schema);
#   - the log file is deleted: SIGHUP reopens it (a new file with new records);
#   - the policy file becomes garbage, empty, invalid, a directory, unreadable, or is rewritten while the
#     reload reads it: the running policy stays unless a complete valid file was read (stderr says
#     which), and ping behaves accordingly;
#   - the queue overflows (daemon SIGSTOPped, --queue-maxlen 4): with fail-open the kernel accepts
#     what does not fit (ping works); with --no-fail-open it drops them, the kernel's queue_dropped
#     rises and the exit summary reports it;
#   - the netlink socket overflows (ENOBUFS): counted in the exit summary, no stall;
#   - killed (SIGKILL) mid-flood and restarted: no stuck queue, ping works within 1 s of restart.
LAB_NS_PREFIX=${LAB_NS_PREFIX:-ig-fault-}  # apart from the e2e suite's lab
source "$(dirname "$0")/../e2e/lab.sh"
LOGFS=""
cleanup() {
    [[ -n "$LOGFS" ]] && mountpoint -q "$LOGFS" && umount -l "$LOGFS"
    lab_down
}
trap cleanup EXIT

pings() { in_ns client ping "-$1" -c "${3:-2}" -i 0.3 -W 1 "$2" 2>&1 | ping_received; }
wait_stderr() { # TEXT [FROM_LINE]: wait up to 5 s for TEXT on the daemon's stderr after line FROM_LINE
    local i
    for ((i = 0; i < 50; i++)); do tail -n +"${2:-1}" "$IG_ERR" | grep -qF -- "$1" && return 0; sleep 0.1; done
    return 1
}
err_lines() { wc -l <"$IG_ERR"; }
kernel_queue_dropped() { in_ns gw awk '$1 == 0 { print $6 }' /proc/net/netfilter/nfnetlink_queue; }

lab_require
lab_up || lab_abort lab_up "could not build the lab"
queue_rules_install nobypass
policy="$LAB_TMP/policy.json"
install -m 0644 "$DEFAULT_POLICY" "$policy"

# ---- the log disk fills ------------------------------------------------------------------
LOGFS="$LAB_TMP/logfs"
mkdir -p "$LOGFS"
mount -t tmpfs -o size=64k,mode=0755 icmpgate-faults "$LOGFS" || lab_abort tmpfs "cannot mount a tmpfs"
IG_LOG="$LOGFS/eve.json"
start_icmpgate "$policy" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_eq "log disk: v4 ping passes before the disk fills" 2 "$(pings 4 "$SERVER4")"
dd if=/dev/zero of="$LOGFS/filler" bs=4k 2>/dev/null || true  # until ENOSPC
check_eq "log disk: full" 0 "$(df --output=avail -k "$LOGFS" | tail -n 1 | tr -d ' ')"
check_eq "log disk full: v4 ping still passes" 4 "$(pings 4 "$SERVER4" 4)"
check_eq "log disk full: v6 ping still passes" 4 "$(pings 6 "$SERVER6" 4)"
check_eq "log disk full: no log_gap event yet" 0 "$(grep -c '"event":"log_gap"' "$IG_LOG")"
rm -f "$LOGFS/filler"
check_eq "space back: v4 ping passes" 2 "$(pings 4 "$SERVER4")"
wait_log_quiet
gap=$(grep '"event":"log_gap"' "$IG_LOG" | head -n 1)
check_contains "space back: a log_gap event (event_type icmpgate) with reason write-error" \
    '"event_type":"icmpgate","icmpgate":{"log_version":2,"event":"log_gap"' <(echo "$gap")
check_contains "space back: the log_gap event's reason is write-error" '"reason":"write-error"' <(echo "$gap")
echo "$gap" >"$LAB_TMP/gap.json"
"$PY" "$REPO_DIR/tests/golden/log_schema_check.py" "$REPO_DIR" "$ICMPGATE" "$LAB_TMP/gap.json" >"$LAB_TMP/schema.out" 2>&1
schema_rc=$?
check_true "space back: the log_gap event is valid against docs/log.schema.json and Suricata's schema" \
    "$(grep -v '^ok' "$LAB_TMP/schema.out" | tail -n 6)" schema_held "$schema_rc"
lost=$(sed -n 's/.*"lines_dropped":\([0-9]*\).*/\1/p' <<<"$gap")
# 8 echo exchanges (16 records) were sent while full; the tmpfs's last partly used page may
# still have taken a few, so the gap counts at least one and at most 16.
check_between "space back: the gap counts the records lost while full" 1 16 "${lost:-0}"
check_eq "space back: the 4 records of the ping after space returned follow the gap" 4 \
    "$(sed -n '/"event":"log_gap"/,$p' "$IG_LOG" | grep -vc log_gap)"
# 2 + 8 + 2 echo exchanges crossed gw in this part: 24 records, each either whole in the file or
# counted lost (a line the full disk cut short counts as lost).
whole_alerts=$("$PY" -c 'import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        n += json.loads(line).get("event_type") == "alert"
    except ValueError:
        pass
print(n)' "$IG_LOG")
check_eq "log disk: whole records written + records lost = the 24 packets decided" 24 "$((whole_alerts + ${lost:-0}))"
stop_icmpgate
check_eq "log disk: exit 0" 0 "$IG_EXIT"
check_true "log disk: the exit summary counts the same lines lost to write errors as the gap record" "$(grep 'log:' "$IG_ERR")" \
    grep -qE "lost to write errors ${lost:-x} \([1-9][0-9]* failed writes\)" "$IG_ERR"
umount "$LOGFS"

# ---- the log file is deleted; SIGHUP reopens it --------------------------------------------
IG_LOG="$LAB_TMP/eve.json"
start_icmpgate "$policy" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_eq "log deleted: ping passes" 2 "$(pings 4 "$SERVER4")"
wait_log_quiet
rm -f "$IG_LOG"
kill -HUP "$IG_PID"
wait_stderr "reloaded $policy"
check_eq "log deleted: ping passes after SIGHUP" 2 "$(pings 4 "$SERVER4")"
wait_log_quiet
check_true "log deleted: SIGHUP created a new file" "no $IG_LOG" test -s "$IG_LOG"
check_eq "log deleted: the new file holds the 4 records of the ping after SIGHUP" 4 \
    "$(grep -c '"icmp_type"' "$IG_LOG" 2>/dev/null || echo 0)"

# ---- bad policy files at reload: the running policy stays ----------------------------------
bad_reload() { # NAME EXPECTED_STDERR: the policy file is already broken
    local from
    from=$(($(err_lines) + 1))
    kill -HUP "$IG_PID"
    check_true "$1: stderr says why" "$(tail -n +"$from" "$IG_ERR" | tr '\n' '|')" wait_stderr "$2" "$from"
    check_true "$1: stderr says the running policy is kept" "$(tail -n +"$from" "$IG_ERR" | tr '\n' '|')" \
        wait_stderr "reload failed: keeping the running policy" "$from"
    check_eq "$1: ping still passes under the old policy" 2 "$(pings 4 "$SERVER4")"
}
printf '\x00\xff garbage {{{' >"$policy"
bad_reload "garbage policy" "$policy:1:"
: >"$policy"
bad_reload "empty policy" "$policy:"
# A fault only the reader sees: the line and column of the value, as `icmpgate check` prints it.
printf '{\n  "version": 1,\n  "rules": [\n    {"id": "r", "match": {}, "verdict": "reject"}\n  ]\n}\n' >"$policy"
bad_reload "reader fault" \
    "$policy:4:41: error: /rules/0/verdict: rule 'r': unknown verdict 'reject'; expected 'accept' or 'drop'"
rm -f "$policy" && mkdir "$policy"
bad_reload "policy is a directory" "cannot read: Is a directory"
rmdir "$policy" && install -m 0000 "$DEFAULT_POLICY" "$policy"
# The daemon (root without CAP_DAC_OVERRIDE after the drop) cannot read a mode 0000 file.
bad_reload "unreadable policy" "cannot read: Permission denied"
install -m 0644 "$DEFAULT_POLICY" "$policy"

# A policy that loads with a warning (an unused rate limit): the reload prints it as
# `icmpgate check` does, then takes the policy.
/usr/bin/python3 -c 'import json, sys
policy = json.load(open(sys.argv[1]))
policy["rate_limits"]["spare"] = {"rate": 1, "burst": 5}
json.dump(policy, sys.stdout, indent=2)' "$DEFAULT_POLICY" >"$policy"
warning=$("$ICMPGATE" check "$policy" | grep ': warning: ')
from=$(($(err_lines) + 1))
kill -HUP "$IG_PID"
check_true "warning at reload: stderr has the line icmpgate check prints" "$(tail -n +"$from" "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "${warning:-no warning from check}" "$from"
check_true "warning at reload: the policy is taken" "$(tail -n +"$from" "$IG_ERR" | tr '\n' '|')" \
    wait_stderr "reloaded $policy" "$from"
install -m 0644 "$DEFAULT_POLICY" "$policy"

# Rewritten in two steps while the reload may be reading it: whichever state was read, the
# daemon runs either the old policy (reload failed) or the complete new one, never a mix.
for round in 1 2 3; do
    from=$(($(err_lines) + 1))
    half=$(($(wc -c <"$E2E_DIR/policies/drop-echo.json") / 2))
    head -c "$half" "$E2E_DIR/policies/drop-echo.json" >"$policy"
    kill -HUP "$IG_PID"
    tail -c +"$((half + 1))" "$E2E_DIR/policies/drop-echo.json" >>"$policy"
    wait_stderr "reload" "$from"
    sleep 0.3
    if tail -n +"$from" "$IG_ERR" | grep -q "reloaded $policy"; then expected=0; else expected=2; fi
    check_eq "policy rewritten during reload (round $round): ping matches the policy stderr names" \
        "$expected" "$(pings 4 "$SERVER4")"
    install -m 0644 "$DEFAULT_POLICY" "$policy"
    from=$(($(err_lines) + 1))
    kill -HUP "$IG_PID"
    wait_stderr "reloaded $policy" "$from"
done
check_true "bad policies: the daemon is still running" "pid $IG_PID gone" kill -0 "$IG_PID"
stop_icmpgate

# ---- queue overflow while the daemon is stopped --------------------------------------------
start_icmpgate "$policy" --queue-maxlen 4 || lab_abort start_icmpgate "$(cat "$IG_ERR")"
wait_log_quiet
lines_before=$(wc -l <"$IG_LOG")
kill -STOP "$IG_PID"
# The first 4 requests wait in the queue until after ping has given up on them; the other 10,
# and their replies (the queue is still full), pass uninspected.
check_eq "fail-open, daemon stopped: the 10 pings beyond the 4 queued are accepted by the kernel" 10 \
    "$(in_ns client ping -4 -c 14 -i 0.05 -W 1 "$SERVER4" 2>&1 | ping_received)"
kill -CONT "$IG_PID"
wait_log_lines $((lines_before + 8))
wait_log_quiet
stop_icmpgate
tail -n +$((lines_before + 1)) "$IG_LOG" >"$LAB_TMP/overflow.json"
check_eq "fail-open: only the 4 queued requests (and their late replies) are logged, none that bypassed" "4 4" \
    "$(eve count "$LAB_TMP/overflow.json" icmp_type=8) $(eve count "$LAB_TMP/overflow.json" icmp_type=0)"

start_icmpgate "$policy" --queue-maxlen 4 --no-fail-open || lab_abort start_icmpgate "$(cat "$IG_ERR")"
dropped_before=$(kernel_queue_dropped)
kill -STOP "$IG_PID"
check_eq "no fail-open, daemon stopped: every ping is lost" 0 \
    "$(in_ns client ping -4 -c 14 -i 0.05 -W 1 "$SERVER4" 2>&1 | ping_received)"
dropped_after=$(kernel_queue_dropped)
check_eq "no fail-open: the kernel's queue_dropped rose by the 10 that did not fit" 10 \
    "$((dropped_after - dropped_before))"
kill -CONT "$IG_PID"
stop_icmpgate
check_true "no fail-open: the exit summary reports the kernel's queue_dropped" "$(grep 'queue 0' "$IG_ERR")" \
    grep -qE "kernel queue_dropped $dropped_after" "$IG_ERR"

# ---- ENOBUFS: the netlink socket's buffer overflows while the daemon is stopped -------------
# A 64 KiB receive buffer holds a few dozen 1.4 KB packets; the rest cannot be delivered, the
# kernel accepts them (fail-open) and flags the socket; the daemon counts ENOBUFS and goes on.
start_icmpgate "$policy" --rcvbuf 65536 --queue-maxlen 10000 || lab_abort start_icmpgate "$(cat "$IG_ERR")"
kill -STOP "$IG_PID"
in_ns client ping -4 -f -c 300 -s 1400 -W 1 -I "$CLIENT4_B" "$SERVER4" >/dev/null 2>&1 || true
kill -CONT "$IG_PID"
sleep 0.5
check_eq "ENOBUFS: a ping passes right after (no stall)" 1 \
    "$(in_ns client ping -4 -c 1 -W 1 "$SERVER4" 2>&1 | ping_received)"
stop_icmpgate
check_true "ENOBUFS: counted in the exit summary" "$(grep 'queue 0' "$IG_ERR")" \
    grep -qE "enobufs [1-9][0-9]*" "$IG_ERR"

# ---- killed mid-flood, restarted -----------------------------------------------------------
IG_LOG_RATE=100 start_icmpgate "$policy" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
# The flood comes from the client's second address, so the per-source echo limiter it drains
# is not the one the check ping below uses.
in_ns client timeout 4 ping -4 -f -W 1 -I "$CLIENT4_B" "$SERVER4" >/dev/null 2>&1 &
flood=$!
sleep 1.5
kill9_icmpgate
start_icmpgate "$policy" || lab_abort start_icmpgate "restart: $(cat "$IG_ERR")"
check_eq "restarted mid-flood: a ping is answered within 1 s" 1 \
    "$(in_ns client ping -4 -c 1 -W 1 "$SERVER4" 2>&1 | ping_received)"
wait "$flood" 2>/dev/null || true
check_eq "after the flood: v6 ping passes" 2 "$(pings 6 "$SERVER6")"
stop_icmpgate
check_eq "restarted daemon: exit 0" 0 "$IG_EXIT"
lab_finish
