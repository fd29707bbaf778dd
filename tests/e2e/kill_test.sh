#!/bin/bash
# kill -9 of the daemon (issue 3, "End-to-end tests"): with the queue rule's --queue-bypass,
# ICMP keeps flowing with no daemon (fail-open); without it, ICMP stops (fail-closed: the kernel
# drops what it cannot queue); a restarted daemon resumes filtering and ping works again.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

pings() { in_ns client ping "-$1" -c 2 -i 0.3 -W 1 "$2" 2>&1 | ping_received; }

lab_up || lab_abort lab_up "could not build the lab"

queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_eq "bypass rule: v4 ping through the daemon" 2 "$(pings 4 "$SERVER4")"
check_eq "bypass rule: v6 ping through the daemon" 2 "$(pings 6 "$SERVER6")"
kill9_icmpgate
check_eq "bypass rule, daemon killed: v4 ping keeps working" 2 "$(pings 4 "$SERVER4")"
check_eq "bypass rule, daemon killed: v6 ping keeps working" 2 "$(pings 6 "$SERVER6")"

queue_rules_remove
queue_rules_install nobypass
: >"$IG_LOG"
start_icmpgate "$DEFAULT_POLICY" || lab_abort "start_icmpgate (no bypass)" "$(cat "$IG_ERR")"
check_eq "no bypass: v4 ping through the daemon" 2 "$(pings 4 "$SERVER4")"
check_eq "no bypass: v6 ping through the daemon" 2 "$(pings 6 "$SERVER6")"
kill9_icmpgate
check_eq "no bypass, daemon killed: v4 ping stops" 0 "$(pings 4 "$SERVER4")"
check_eq "no bypass, daemon killed: v6 ping stops" 0 "$(pings 6 "$SERVER6")"
check_true "no bypass, daemon killed: the kernel counted the drops" \
    "FORWARD NFQUEUE rule counters did not move" \
    test "$(in_ns gw iptables -L FORWARD -v -x -n | awk '/NFQUEUE/ {print $1}')" -ge 6
: >"$IG_LOG"
start_icmpgate "$DEFAULT_POLICY" || lab_abort "restart icmpgate" "$(cat "$IG_ERR")"
check_eq "restarted daemon: v4 ping works again" 2 "$(pings 4 "$SERVER4")"
check_eq "restarted daemon: v6 ping works again" 2 "$(pings 6 "$SERVER6")"
wait_log_lines 8
check_eq "restarted daemon: it filters again (8 records)" 8 "$(wc -l <"$IG_LOG")"
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
lab_finish
