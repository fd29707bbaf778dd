#!/bin/bash
# `icmpgate demo` (issue 3): as a non-root user it refuses with a clear message and exit 77;
# as root it builds its lab, drives ping, traceroute, PMTUD, a flood, a closed-port probe and
# forged errors through the daemon, prints the verdict table, and leaves no namespace behind.
source "$(dirname "$0")/lab.sh"
lab_require
ICMPGATE=$(find_icmpgate)
OUT=$(mktemp /tmp/ig-demo-test.XXXXXX)
trap 'rm -f "$OUT"' EXIT

setpriv --reuid=65534 --regid=65534 --clear-groups "$ICMPGATE" demo >"$OUT" 2>&1
check_eq "demo as a non-root user exits 77 (EX_NOPERM)" 77 "$?"
check_contains "demo as a non-root user says it needs root" "which needs root" "$OUT"

timeout 120 "$ICMPGATE" demo >"$OUT" 2>&1
check_eq "demo as root exits 0" 0 "$?"
check_eq "IPv4 and IPv6 pings get every reply" 2 "$(grep -c '^5 packets transmitted, 5 received' "$OUT")"
check_contains "v4 traceroute reaches the server at hop 4" " 4  $SERVER4 " "$OUT"
check_contains "v6 traceroute -I reaches the server at hop 4" " 4  $SERVER6 " "$OUT"
check_contains "PMTUD: the upload completes and the client learns the bottleneck" \
    "upload complete; the client learnt: mtu $BOTTLENECK_MTU" "$OUT"
check_contains "the other source is not limited during the flood" \
    "other source: 5 packets transmitted, 5 received" "$OUT"
check_contains "the closed port's Port Unreachable arrives" "connection refused: the Port Unreachable arrived" "$OUT"
for reason in rate-limit anomaly:implausible-mtu anomaly:error-about-error anomaly:embedded-mismatch; do
    check_true "the verdict table lists $reason" "no row with $reason" grep -qE "^ +[0-9]+  drop +$reason " "$OUT"
done
check_contains "the daemon's summary is shown" "icmpgate: summary" "$OUT"
check_eq "no demo namespace is left behind" 0 "$(ip netns list | grep -c '^ig-demo-')"
lab_finish
