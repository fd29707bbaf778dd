#!/bin/bash
# kill -9 of the daemon (issue 3, "End-to-end tests"): with the queue rule's --queue-bypass,
# ICMP keeps flowing with no daemon (fail-open) and nothing of it is logged; without it, ICMP
# stops (fail-closed: the kernel drops what it cannot queue); a restarted daemon resumes filtering
# and ping works again. Every count is exact: 2 pings are 2 requests and 2 replies across gw's
# FORWARD chain, so 4 records (or 4 rule hits) per family.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

pings() { in_ns client ping "-$1" -c 2 -i 0.3 -W 1 "$2" 2>&1 | ping_received; }
records() { [[ -f "$IG_LOG" ]] && wc -l <"$IG_LOG" || echo 0; }
# The packet counter of the NFQUEUE rule on gw's FORWARD chain (iptables or ip6tables).
queue_rule_packets() { in_ns gw "$1" -L FORWARD -v -x -n | awk '/NFQUEUE/ {print $1}'; }

lab_up || lab_abort lab_up "could not build the lab"

queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"
check_eq "bypass rule: v4 ping through the daemon" 2 "$(pings 4 "$SERVER4")"
check_eq "bypass rule: v6 ping through the daemon" 2 "$(pings 6 "$SERVER6")"
# The writer thread is asynchronous: every record is on disk before the kill, or it would be lost.
wait_log_lines 8
sleep 0.5 # a record too many would arrive now
check_eq "bypass rule: 8 records (2 requests and 2 replies per family) before the kill" 8 "$(records)"
check_eq "bypass rule: they are the echo requests and replies, all accepted" "4 4" \
    "$(eve count "$IG_LOG" verdict.action=accept ip_v=4) $(eve count "$IG_LOG" verdict.action=accept ip_v=6)"
kill9_icmpgate
check_eq "bypass rule, daemon killed: v4 ping keeps working" 2 "$(pings 4 "$SERVER4")"
check_eq "bypass rule, daemon killed: v6 ping keeps working" 2 "$(pings 6 "$SERVER6")"
check_eq "bypass rule, daemon killed: the rules saw the pings that passed (4 more per family)" "8 8" \
    "$(queue_rule_packets iptables) $(queue_rule_packets ip6tables)"
check_eq "bypass rule, daemon killed: nothing logged for the packets that passed uninspected" 8 "$(records)"

queue_rules_remove
queue_rules_install nobypass
: >"$IG_LOG"
start_icmpgate "$DEFAULT_POLICY" || lab_abort "start_icmpgate (no bypass)" "$(cat "$IG_ERR")"
check_eq "no bypass: v4 ping through the daemon" 2 "$(pings 4 "$SERVER4")"
check_eq "no bypass: v6 ping through the daemon" 2 "$(pings 6 "$SERVER6")"
wait_log_lines 8
sleep 0.5
check_eq "no bypass: 8 records before the kill" 8 "$(records)"
kill9_icmpgate
check_eq "no bypass, daemon killed: v4 ping stops" 0 "$(pings 4 "$SERVER4")"
check_eq "no bypass, daemon killed: v6 ping stops" 0 "$(pings 6 "$SERVER6")"
# 4 packets each way before the kill, then 2 requests per family that the kernel could not queue
# and dropped (no reply came back to be counted).
check_eq "no bypass, daemon killed: the rules counted the 2 requests per family the kernel dropped" "6 6" \
    "$(queue_rule_packets iptables) $(queue_rule_packets ip6tables)"
check_eq "no bypass, daemon killed: nothing logged for them" 8 "$(records)"
: >"$IG_LOG"
start_icmpgate "$DEFAULT_POLICY" || lab_abort "restart icmpgate" "$(cat "$IG_ERR")"
check_eq "restarted daemon: v4 ping works again" 2 "$(pings 4 "$SERVER4")"
check_eq "restarted daemon: v6 ping works again" 2 "$(pings 6 "$SERVER6")"
wait_log_lines 8
sleep 0.5
check_eq "restarted daemon: it filters again (8 records)" 8 "$(records)"
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
lab_finish
