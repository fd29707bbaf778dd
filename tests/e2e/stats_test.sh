#!/bin/bash
# Periodic EVE stats events and the Prometheus textfile (issue 6, "Logs" and "Metrics"): the
# daemon runs in gw with --stats-interval 1 and --metrics-file; a known set of pings crosses gw
# (PINGS4 echo exchanges over IPv4, PINGS6 over IPv6) and one SIGHUP with a broken policy fails.
# The newest stats line and the textfile (parsed by python3-prometheus-client's parser) must
# agree with the traffic sent and with the alert records in the same log. Then a v4 flood
# (FLOOD pings, far faster than the echo limiters allow) must show up, packet for packet, in
# icmpgate_rate_limited_total{limiter}: each lost ping is one rate-limit drop (of the request or
# of its reply), and each drop is one rate-limit alert record naming that limiter.
source "$(dirname "$0")/lab.sh"
trap lab_down EXIT

PINGS4=3
PINGS6=2
FLOOD=120
EXPECTED=$((2 * (PINGS4 + PINGS6))) # every request and its reply cross FORWARD

"$PY" -c 'from prometheus_client.parser import text_string_to_metric_families' 2>/dev/null ||
    missing_prerequisite "python3-prometheus-client is not installed"
lab_up || lab_abort lab_up "could not build the lab"
eval "$("$PY" "$E2E_DIR/policy_facts.py" "$DEFAULT_POLICY")" || ECHO_RATE=1 ECHO_BURST=1
interval=$("$PY" -c "print(0.2 if $PINGS4 <= $ECHO_BURST else max(0.2, 1.2 / $ECHO_RATE))")
digest=$("$ICMPGATE" check "$DEFAULT_POLICY" | sed -n 's/^digest: //p')
policy="$LAB_TMP/policy.json"
cp "$DEFAULT_POLICY" "$policy"
prom="$LAB_TMP/icmpgate.prom"
queue_rules_install bypass
IG_STATS_INTERVAL=1 start_icmpgate "$policy" --metrics-file "$prom" --metrics-interval 1 ||
    lab_abort start_icmpgate "$(cat "$IG_ERR")"

out4=$(in_ns client ping -c $PINGS4 -i "$interval" -W 1 "$SERVER4")
out6=$(in_ns client ping -6 -c $PINGS6 -i "$interval" -W 1 "$SERVER6")
check_eq "v4 pings answered" $PINGS4 "$(ping_received <<<"$out4")"
check_eq "v6 pings answered" $PINGS6 "$(ping_received <<<"$out6")"
echo '{ broken' >"$policy"
kill -HUP "$IG_PID"
sleep 3.5 # at least two stats and metrics periods after the last packet and the reload

# The newest stats event, flattened to "path=value" lines; the alert records counted by reason.
"$PY" - "$IG_LOG" >"$LAB_TMP/stats.txt" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
stats = [r for r in lines if r.get("event_type") == "stats"]
alerts = [r for r in lines if r.get("event_type") == "alert"]
print("events=%d" % len(stats))
def flat(prefix, v):
    if isinstance(v, dict):
        for k, x in v.items(): flat(prefix + "." + k if prefix else k, x)
    elif isinstance(v, list):
        for i, x in enumerate(v): flat("%s.%d" % (prefix, i), x)
    else:
        print("%s=%s" % (prefix, json.dumps(v)))
if stats:
    # icmpgate's counters by their names under stats.icmpgate; Suricata's under "suricata."
    flat("", stats[-1]["stats"]["icmpgate"])
    flat("suricata", {k: v for k, v in stats[-1]["stats"].items() if k != "icmpgate"})
    print("log_version=%s" % stats[-1]["icmpgate"]["log_version"])
    print("timestamp_ok=%s" % (len(stats[-1]["timestamp"]) == 31 and stats[-1]["timestamp"].endswith("+0000")))
for reason in sorted({r["icmpgate"]["reason"] for r in alerts}):
    print("alerts.%s=%d" % (reason, sum(1 for r in alerts if r["icmpgate"]["reason"] == reason)))
print("alerts=%d" % len(alerts))
PY
sv() { sed -n "s/^$1=//p" "$LAB_TMP/stats.txt" | tr -d '"'; }
check_ge "stats: one event per second (3 s at least)" 3 "$(sv events)"
check_eq "stats: EVE timestamp in UTC" True "$(sv timestamp_ok)"
check_eq "stats: packets received = packets sent across gw" $EXPECTED "$(sv packets.received)"
check_eq "log: one alert record per packet" $EXPECTED "$(sv alerts)"
check_eq "stats: all accepted" "$EXPECTED 0" "$(sv packets.accepted) $(sv packets.dropped)"
check_eq "stats: queue 0 counted them" "0 $EXPECTED" "$(sv queues.0.queue) $(sv queues.0.received)"
check_eq "stats: Suricata's capture counters (from the kernel, none lost there)" "$EXPECTED 0" \
    "$(sv suricata.capture.kernel_packets) $(sv suricata.capture.kernel_drops)"
check_eq "stats: Suricata's IPS counters (accepted, blocked)" "$EXPECTED 0" \
    "$(sv suricata.ips.accepted) $(sv suricata.ips.blocked)"
check_eq "stats: the log format version" 2 "$(sv log_version)"
check_eq "stats: by family (v4 accepted, v4 dropped, v6 accepted, v6 dropped)" "$((2 * PINGS4)) 0 $((2 * PINGS6)) 0" \
    "$(sv packets.by_family.ipv4.accepted) $(sv packets.by_family.ipv4.dropped) $(sv packets.by_family.ipv6.accepted) $(sv packets.by_family.ipv6.dropped)"
check_eq "stats: kernel counters of queue 0 (nothing waiting or lost)" "0 0 0" \
    "$(sv queues.0.kernel.waiting) $(sv queues.0.kernel.queue_dropped) $(sv queues.0.kernel.user_dropped)"
check_eq "stats: enobufs, malformed, send errors" "0 0 0" \
    "$(sv packets.enobufs) $(sv packets.malformed) $(sv packets.verdict_send_errors)"
for reason in $(sed -n 's/^alerts\.\([^=]*\)=.*/\1/p' "$LAB_TMP/stats.txt"); do
    check_eq "stats: accepted by reason $reason = alert records with that reason" "$(sv "alerts.$reason")" \
        "$(sv "packets.by_reason.$reason.accepted")"
done
check_eq "stats: rule hits add up to the packets decided by a rule" "$(sv packets.by_reason.rule.accepted)" \
    "$(sed -n 's/^rules\.[^=]*=//p' "$LAB_TMP/stats.txt" | paste -sd+ | bc)"
# The newest stats event counts the lines written before it: every alert (all before it) and the
# stats events before it (it is not in its own count).
check_eq "stats: log written = the alert lines + the earlier stats lines" "$(( $(sv alerts) + $(sv events) - 1 ))" \
    "$(sv log.written)"
check_eq "stats: no log line lost" "0 0 0 0" \
    "$(sv log.dropped_queue_full) $(sv log.dropped_too_long) $(sv log.dropped_write_error) $(sv log.suppressed)"
check_eq "stats: the failed reload is counted, the old policy runs" "0 1 false $digest" \
    "$(sv policy.reloads_succeeded) $(sv policy.reloads_failed) $(sv policy.last_reload_successful) $(sv policy.digest)"
check_ge "stats: uptime in seconds" 3 "$(sv suricata.uptime)"

# The Prometheus textfile, parsed with a real parser.
"$PY" - "$prom" >"$LAB_TMP/prom.txt" 2>&1 <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in family.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        print("%s{%s} %s %s" % (s.name, labels, int(s.value) if float(s.value).is_integer() else s.value, family.type))
PY
check_eq "metrics: the file parses" 0 $?
metric() { awk -v k="$1" '$1 == k {print $2}' "$LAB_TMP/prom.txt"; }
sum_metric() { awk -v p="$1" 'index($1, p) == 1 {s += $2} END {print s + 0}' "$LAB_TMP/prom.txt"; }
check_eq "metrics: packets received on queue 0" $EXPECTED "$(metric 'icmpgate_packets_received_total{queue=0}')"
check_eq "metrics: accepted packets over every reason" $EXPECTED "$(sum_metric 'icmpgate_packets_total{queue=0,reason=')"
# Every (verdict, reason) series is written, at 0 too: a drop series for each of the 7 reasons
# (rule, default, protected, rate-limit, anomaly, not-icmp, monitor).
drop_series() { grep '^icmpgate_packets_total{queue=0,reason=[^,]*,verdict=drop} ' "$LAB_TMP/prom.txt"; }
check_eq "metrics: the 7 drop series (one per reason), all at 0" "7 0" \
    "$(drop_series | wc -l) $(drop_series | awk '{s += $2} END {print s + 0}')"
check_eq "metrics: no would-be outcome without monitor mode (14 series, all at 0)" "14 0" \
    "$(grep -c '^icmpgate_packets_would_be_total{queue=0,' "$LAB_TMP/prom.txt") $(sum_metric 'icmpgate_packets_would_be_total{')"
for reason in $(sed -n 's/^alerts\.\([^=]*\)=.*/\1/p' "$LAB_TMP/stats.txt"); do
    check_eq "metrics: accepted by reason $reason" "$(sv "alerts.$reason")" \
        "$(metric "icmpgate_packets_total{queue=0,reason=$reason,verdict=accept}")"
done
check_eq "metrics: rule matches add up" "$(sv packets.by_reason.rule.accepted)" "$(sum_metric 'icmpgate_rule_matches_total{')"
check_eq "metrics: counters are typed counter" "counter" \
    "$(awk '$1 ~ /^icmpgate_packets_received_total/ {print $3}' "$LAB_TMP/prom.txt")"
check_eq "metrics: kernel counters of queue 0" "0 0 0" \
    "$(metric 'icmpgate_nfqueue_queue_dropped_total{queue=0}') $(metric 'icmpgate_nfqueue_user_dropped_total{queue=0}') $(metric 'icmpgate_nfqueue_queue_length{queue=0}')"
check_eq "metrics: the failed reload" "1 0 0" \
    "$(metric 'icmpgate_policy_reloads_total{result=failure}') $(metric 'icmpgate_policy_reloads_total{result=success}') $(metric 'icmpgate_policy_last_reload_successful{}')"
check_eq "metrics: policy digest" 1 "$(metric "icmpgate_policy_info{digest=$digest}")"
check_eq "metrics: build info carries the version" 1 \
    "$(metric "icmpgate_build_info{version=$("$ICMPGATE" --version | awk 'NR == 1 {print $2}')}")"
check_eq "metrics: no log line lost" 0 "$(sum_metric 'icmpgate_log_lines_dropped_total{')"
check_eq "metrics: lost-line reasons spelled as the log spells them" "queue-full too-long write-error" \
    "$(sed -n 's/^icmpgate_log_lines_dropped_total{reason=\([^}]*\)}.*/\1/p' "$LAB_TMP/prom.txt" | sort | paste -sd' ')"
check_eq "metrics: no reason or anomaly label value spelled with '_'" "" \
    "$(grep -oE '(reason|anomaly)=[^,}]*_[^,}]*' "$LAB_TMP/prom.txt" | sort -u | paste -sd' ')"
check_eq "metrics: IPv4 packets by family" "$((2 * PINGS4)) 0" \
    "$(metric 'icmpgate_packets_by_family_total{family=ipv4,queue=0,verdict=accept}') $(metric 'icmpgate_packets_by_family_total{family=ipv4,queue=0,verdict=drop}')"
check_eq "metrics: IPv6 packets by family" "$((2 * PINGS6)) 0" \
    "$(metric 'icmpgate_packets_by_family_total{family=ipv6,queue=0,verdict=accept}') $(metric 'icmpgate_packets_by_family_total{family=ipv6,queue=0,verdict=drop}')"
check_eq "metrics: nothing rate-limited yet (every limiter of the policy listed, at 0)" \
    "$("$PY" -c 'import json, sys; print(" ".join(sorted(n + " 0" for n in json.load(open(sys.argv[1]))["rate_limits"])))' "$DEFAULT_POLICY")" \
    "$(awk '$1 ~ /^icmpgate_rate_limited_total\{/ {sub(/.*limiter=/, "", $1); sub(/\}$/, "", $1); print $1, $2}' "$LAB_TMP/prom.txt" | sort | paste -sd' ')"
check_eq "metrics: no temporary file left" "" "$(ls "$LAB_TMP" | grep 'prom\.tmp')"

# The flood: rate-limit drops, counted per limiter.
outf=$(in_ns client ping -q -c $FLOOD -i 0.002 -W 1 "$SERVER4")
lost=$((FLOOD - $(ping_received <<<"$outf")))
check_ge "flood: the echo limiters dropped some pings" 1 "$lost"
sleep 2.5 # two metrics periods
"$PY" - "$prom" >"$LAB_TMP/prom.txt" 2>&1 <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in family.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        print("%s{%s} %s" % (s.name, labels, int(s.value) if float(s.value).is_integer() else s.value))
PY
"$PY" - "$IG_LOG" >"$LAB_TMP/limited.txt" <<'PY'
import collections, json, sys
alerts = [json.loads(l) for l in open(sys.argv[1])]
n = collections.Counter(r["icmpgate"]["limiter"] for r in alerts
                        if r.get("event_type") == "alert" and r["icmpgate"]["reason"] == "rate-limit")
for limiter, count in sorted(n.items()): print(limiter, count)
PY
check_eq "metrics: rate-limited packets = pings lost in the flood" "$lost" "$(sum_metric 'icmpgate_rate_limited_total{')"
check_eq "metrics: rate-limited = drops with reason rate-limit" "$lost" \
    "$(metric 'icmpgate_packets_total{queue=0,reason=rate-limit,verdict=drop}')"
check_eq "metrics: rate-limited per limiter = rate-limit alert records naming it" "$(paste -sd' ' "$LAB_TMP/limited.txt")" \
    "$(awk '$1 ~ /^icmpgate_rate_limited_total\{/ && $2 > 0 {sub(/.*limiter=/, "", $1); sub(/\}$/, "", $1); print $1, $2}' "$LAB_TMP/prom.txt" | sort | paste -sd' ')"
check_eq "metrics: the flood's drops are IPv4 drops" "$lost" \
    "$(metric 'icmpgate_packets_by_family_total{family=ipv4,queue=0,verdict=drop}')"
before=$(stat -c %i "$prom")
stop_icmpgate
check_eq "icmpgate exits 0 on SIGTERM" 0 "$IG_EXIT"
check_true "metrics: rewritten at exit" "same inode as before the stop" \
    test "$before" != "$(stat -c %i "$prom")"
check_eq "stats: a final event at exit" "stats" "$(tail -n 1 "$IG_LOG" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["event_type"])')"
"$PY" "$REPO_DIR/tests/golden/log_schema_check.py" "$REPO_DIR" "$ICMPGATE" "$IG_LOG" >"$LAB_TMP/schema.out" 2>&1
schema_rc=$?
check_true "log: every daemon line (alerts and stats) valid against docs/log.schema.json and Suricata's schema" \
    "$(grep -v '^ok' "$LAB_TMP/schema.out" | tail -n 6)" schema_held "$schema_rc"
if ((LAB_FAILS > 0)); then cat "$LAB_TMP/stats.txt" "$LAB_TMP/prom.txt" "$IG_ERR"; fi
lab_finish
