#!/bin/bash
# The daemon's log beyond plain verdict lines (docs/log-format.md), in the lab:
#   - --log-rate: a v4 ping flood, far past both the policy's echo limiter and the log budget of
#     LOG_RATE lines per second per (rule, reason), is thinned; the log_suppressed events
#     (event_type icmpgate) name the rule and reason of what they thinned, and their counts add up
#     to what the exit summary says was suppressed, so verdict lines + suppressed = packets;
#   - --expand-ipv6: IPv6 addresses in the daemon's lines are in Suricata's expanded form;
#   - every line of that log (verdicts, stats, log_suppressed events) is valid against
#     docs/log.schema.json and Suricata's EVE schema with icmpgate's namespace set aside
#     (tests/golden/log_schema_check.py; under CI=true Suricata's schema must be there).
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

LOG_RATE=5
FLOOD=300          # requests, 5 ms apart: 1.5 s, bounded in count and time
PINGS6=2

lab_up || lab_abort lab_up "could not build the lab"
eval "$("$PY" "$E2E_DIR/policy_facts.py" "$DEFAULT_POLICY")" ||
    lab_abort "default policy rate-limits echo requests" "policy_facts.py found no limited echo-request rule"
queue_rules_install bypass
IG_LOG_RATE=$LOG_RATE IG_STATS_INTERVAL=1 start_icmpgate "$DEFAULT_POLICY" --expand-ipv6 ||
    lab_abort start_icmpgate "$(cat "$IG_ERR")"

in_ns client ping -q -c $FLOOD -i 0.005 -W 1 "$SERVER4" >/dev/null 2>&1
out6=$(in_ns client ping -6 -c $PINGS6 -i 0.3 -W 1 "$SERVER6")
check_eq "v6 pings answered" $PINGS6 "$(ping_received <<<"$out6")"
sleep 2.5 # every suppression window has ended and been reported; a stats event after the traffic
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"

received=$(sed -n 's/^  queue 0: received \([0-9]*\),.*/\1/p' "$IG_ERR")
suppressed=$(sed -n 's/^  log: suppressed \([0-9]*\),.*/\1/p' "$IG_ERR")
"$PY" - "$IG_LOG" "$ECHO_RULE_V4" >"$LAB_TMP/events.txt" <<'PY'
import collections, json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
alerts = [r for r in lines if r["event_type"] == "alert"]
events = [r["icmpgate"] for r in lines if r["event_type"] == "icmpgate"]
thinned = [e for e in events if e["event"] == "log_suppressed"]
print("alerts", len(alerts))
print("suppressed_events", len(thinned))
print("suppressed_lines", sum(e["lines_suppressed"] for e in thinned))
print("keys", " ".join(sorted({"%s/%s" % (e["rule"], e["reason"]) for e in thinned})))
print("other_events", len(events) - len(thinned))
# Per (rule, reason) and per second of the daemon's clock, at most LOG_RATE verdict lines.
per_second = collections.Counter((r["icmpgate"]["rule"], r["icmpgate"]["reason"], r["timestamp"][:19]) for r in alerts)
print("max_per_second", max(per_second.values()))
v6 = [r for r in alerts if r["ip_v"] == 6]
print("v6_lines", len(v6))
print("v6_expanded", sum(1 for r in v6 if all(len(r[k]) == 39 and "::" not in r[k] for k in ("src_ip", "dest_ip"))))
print("v6_addresses", " ".join(sorted({r["src_ip"] for r in v6} | {r["dest_ip"] for r in v6})))
PY
ev() { sed -n "s/^$1 //p" "$LAB_TMP/events.txt"; }
check_ge "flood: lines were suppressed (exit summary)" 1 "${suppressed:-0}"
check_ge "flood: log_suppressed events were written" 1 "$(ev suppressed_events)"
check_eq "log_suppressed events count every suppressed line" "${suppressed:-x}" "$(ev suppressed_lines)"
check_eq "verdict lines + suppressed lines = packets received" "${received:-x}" \
    "$(( $(ev alerts) + $(ev suppressed_lines) ))"
check_contains "log_suppressed events name the flood's rate-limited rule" "$ECHO_RULE_V4/rate-limit" <(ev keys)
check_true "log_suppressed events name a rule and reason rule or rate-limit (requests and replies)" "$(ev keys)" \
    grep -qE '^([A-Za-z0-9._:-]+/(rule|rate-limit) ?)+$' <<<"$(ev keys)"
# A suppression window is one second from its first line, not a calendar second: a calendar
# second can hold the end of one window and the start of the next.
check_le "at most 2 x --log-rate verdict lines per calendar second per rule and reason" $((2 * LOG_RATE)) \
    "$(ev max_per_second)"
check_eq "no other icmpgate event (nothing lost)" 0 "$(ev other_events)"
check_eq "v6: every request and reply logged" $((2 * PINGS6)) "$(ev v6_lines)"
check_eq "v6: --expand-ipv6 writes both addresses expanded" $((2 * PINGS6)) "$(ev v6_expanded)"
expected_v6=$("$PY" -c 'import ipaddress, sys; print(" ".join(sorted(ipaddress.ip_address(a).exploded for a in sys.argv[1:])))' \
    "$CLIENT6" "$SERVER6")
check_eq "v6: the expanded addresses are the client's and the server's" "$expected_v6" "$(ev v6_addresses)"

"$PY" "$REPO_DIR/tests/golden/log_schema_check.py" "$REPO_DIR" "$ICMPGATE" "$IG_LOG" >"$LAB_TMP/schema.out" 2>&1
schema_rc=$?
check_true "log: every line (verdicts, stats, log_suppressed) valid against both schemas" \
    "$(grep -v '^ok' "$LAB_TMP/schema.out" | tail -n 6)" schema_held "$schema_rc"
if ((LAB_FAILS > 0)); then cat "$LAB_TMP/events.txt" "$LAB_TMP/schema.out" "$IG_ERR"; fi
lab_finish
