#!/bin/bash
# ping through icmpgate under the default policy (issue 3, "End-to-end tests"): ping works for
# IPv4 and IPv6; a ping flood from one client source is held to the policy's echo-request rate
# while a normal ping from the client's other source, at the same time, gets every reply; the
# dropped requests are logged with reason rate-limit and the limiter's name.
#
# The limiter (rate, burst, per-source prefix) is read from the policy (policy_facts.py), so the test
# follows the policy rather than copying its numbers.
#
# Expected replies to the flood: the bucket starts full (burst) and refills at rate/s over the D
# seconds ping's deadline (-w D) lets it send, so accepted = burst + rate * D. Tolerance: the
# gateway sees the first and last requests at most a few ms inside that window, but on a loaded
# 2-core CI machine ping can be descheduled, so the window may be up to 0.5 s shorter (lower bound
# burst + rate * (D - 0.5) - 1) and, with refill rounding, at most a token or so longer (upper bound
# burst + rate * (D + 0.2) + 1). The log's accepted flood requests must fall in the same bounds,
# accepted + rate-limited must equal what ping transmitted, exactly (one record per request), and no
# reply to the other source may be dropped: a limiter on replies keyed by the replying server would
# let one flooding client deny ping to every other client of that server.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

FLOOD_SECONDS=3
# 500 requests/s after a preload of 100 (without -l, iputils ping falls back to ~100/s while
# replies are missing): about 1600 requests in all, bounded in count and time.
FLOOD_OPTS=(-i 0.002 -l 100)
NORMAL_COUNT=5

lab_up || lab_abort lab_up "could not build the lab"
eval "$("$PY" "$E2E_DIR/policy_facts.py" "$DEFAULT_POLICY")" ||
    lab_abort "default policy rate-limits echo requests" "policy_facts.py found no limited echo-request rule"
echo "policy: rules $ECHO_RULE_V4/$ECHO_RULE_V6, limiter $ECHO_LIMITER: rate $ECHO_RATE/s, burst $ECHO_BURST, per $ECHO_PER" \
    "(/$ECHO_PREFIX_V4, /$ECHO_PREFIX_V6), echo replies limited: $REPLY_LIMITED"
check_eq "the default policy limits echo requests per source" source "$ECHO_PER"
check_true "the client's two sources fall in different per-source buckets" \
    "prefixes /$ECHO_PREFIX_V4 /$ECHO_PREFIX_V6 merge $CLIENT4/$CLIENT4_B or $CLIENT6/$CLIENT6_B" \
    "$PY" -c "import ipaddress as i, sys
a4, b4 = (i.ip_network('$CLIENT4/$ECHO_PREFIX_V4', False), i.ip_network('$CLIENT4_B/$ECHO_PREFIX_V4', False))
a6, b6 = (i.ip_network('$CLIENT6/$ECHO_PREFIX_V6', False), i.ip_network('$CLIENT6_B/$ECHO_PREFIX_V6', False))
sys.exit(0 if a4 != b4 and a6 != b6 else 1)"
# A normal ping from the other source must fit in its bucket: at most the burst, spaced by 1/rate.
normal_interval=$("$PY" -c "print(max(0.2, 1.0 / $ECHO_RATE if $NORMAL_COUNT > $ECHO_BURST else 0.2))")
read -r expect_low expect_high < <("$PY" -c "import math
print(math.floor($ECHO_BURST + $ECHO_RATE * ($FLOOD_SECONDS - 0.5) - 1), math.ceil($ECHO_BURST + $ECHO_RATE * ($FLOOD_SECONDS + 0.2) + 1))")

queue_rules_install bypass
start_icmpgate "$DEFAULT_POLICY" || lab_abort start_icmpgate "$(cat "$IG_ERR")"

# Plain pings from the second source (the flood's source keeps its bucket full for the flood).
out=$(in_ns client ping -c 3 -i 0.2 -W 1 -I "$CLIENT4_B" "$SERVER4")
check_eq "v4 ping through gw: 3 of 3 replies" 3 "$(ping_received <<<"$out")"
out=$(in_ns client ping -6 -c 3 -i 0.2 -W 1 -I "$CLIENT6_B" "$SERVER6")
check_eq "v6 ping through gw: 3 of 3 replies" 3 "$(ping_received <<<"$out")"
# Let the second source's bucket refill before it is used again alongside the flood.
sleep "$("$PY" -c "print(min(10, 3.0 / $ECHO_RATE + 0.2))")"

for fam in 4 6; do
    if [[ $fam == 4 ]]; then flood_src=$CLIENT4 other_src=$CLIENT4_B server=$SERVER4 req_type=8 rule=$ECHO_RULE_V4
    else flood_src=$CLIENT6 other_src=$CLIENT6_B server=$SERVER6 req_type=128 rule=$ECHO_RULE_V6; fi
    wait_log_quiet # the log writer lingers up to 10 ms: count only lines already written
    lines_before=$(wc -l <"$IG_LOG")
    in_ns client timeout $((FLOOD_SECONDS + 5)) ping "-$fam" -q "${FLOOD_OPTS[@]}" -w "$FLOOD_SECONDS" \
        -I "$flood_src" "$server" >"$LAB_TMP/flood.out" 2>&1 &
    flood_pid=$!
    sleep 0.3 # the flood is under way and its bucket empty when the normal ping starts
    normal=$(in_ns client timeout 10 ping "-$fam" -c "$NORMAL_COUNT" -i "$normal_interval" -W 1 \
        -I "$other_src" "$server" 2>&1)
    wait "$flood_pid"
    sent=$(ping_transmitted <"$LAB_TMP/flood.out")
    got=$(ping_received <"$LAB_TMP/flood.out")
    echo "v$fam flood: $(grep transmitted "$LAB_TMP/flood.out")"
    check_eq "v$fam normal ping from $other_src during the flood gets every reply" "$NORMAL_COUNT" \
        "$(ping_received <<<"$normal")"
    check_ge "v$fam the flood really flooded (requests sent)" $((expect_high * 3)) "${sent:-0}"
    check_between "v$fam flood from $flood_src limited to burst + rate x ${FLOOD_SECONDS}s replies" \
        "$expect_low" "$expect_high" "${got:-none}"

    wait_log_quiet
    tail -n +$((lines_before + 1)) "$IG_LOG" >"$LAB_TMP/flood.json"
    limited=$(eve count "$LAB_TMP/flood.json" src_ip="$flood_src" icmp_type=$req_type verdict.action=drop \
        icmpgate.reason=rate-limit icmpgate.rule="$rule" icmpgate.limiter="$ECHO_LIMITER")
    accepted=$(eve count "$LAB_TMP/flood.json" src_ip="$flood_src" icmp_type=$req_type verdict.action=accept \
        icmpgate.reason=rule icmpgate.rule="$rule")
    check_between "v$fam log: flood requests accepted within the same bounds" "$expect_low" "$expect_high" "$accepted"
    check_le "v$fam no more replies than accepted requests" "$accepted" "${got:-none}"
    check_eq "v$fam log: accepted + rate-limited (limiter $ECHO_LIMITER) = requests sent" "${sent:-none}" \
        "$((accepted + limited))"
    check_eq "v$fam log: no request from $other_src rate-limited" 0 \
        "$(eve count "$LAB_TMP/flood.json" src_ip="$other_src" verdict.action=drop)"
    check_eq "v$fam log: no echo reply to $other_src dropped (the flood costs the other source nothing)" 0 \
        "$(eve count "$LAB_TMP/flood.json" src_ip="$server" dest_ip="$other_src" verdict.action=drop)"
done
# eve.py check fails on a record with a fault and on an empty log ("0 records, 0 with faults").
eve check "$IG_LOG" >"$LAB_TMP/check.out"
check_rc=$?
check_true "log: every record has the fields docs/log-format.md documents" "$(tail -n 4 "$LAB_TMP/check.out")" \
    test "$check_rc" -eq 0
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
lab_finish
