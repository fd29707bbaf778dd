#!/usr/bin/python3
"""Reads icmpgate's verdict log (one JSON object per line) for the end-to-end tests.

  eve.py count LOG [KEY=VALUE ...]   print how many records match every filter
  eve.py check LOG                   every line is a JSON object with the fields docs/log-format.md
                                     promises for a daemon record (types, presence by message type,
                                     alert.* consistent with verdict and reason); print each fault,
                                     exit 1 if any
  eve.py table LOG                   records grouped by ip_v/icmp_type/icmp_code/verdict/reason/rule

KEY may be dotted for nested objects (embedded.src_ip, alert.action). VALUE is compared with the
field's JSON text for non-strings (null, true, 8) and with the string itself for strings. A KEY
ending in '!' matches records where the field differs from VALUE; KEY= with "~" matches absence.
"""
import collections
import json
import sys

VERDICTS = {"accept", "drop"}
PLAIN_REASONS = {"rule", "default", "protected", "rate-limit", "not-icmp"}
ECHO_TYPES = {4: {0, 8}, 6: {128, 129}}
MTU_TYPES = {4: {(3, 4)}, 6: {(2, None)}}
ERROR_TYPES = {4: {3, 4, 5, 11, 12}, 6: {1, 2, 3, 4}}


def records(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line:
                yield number, line


def lookup(record, dotted):
    node = record
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def text(value):
    return value if isinstance(value, str) else json.dumps(value)


def matches(record, filters):
    for f in filters:
        key, _, want = f.partition("=")
        negate = key.endswith("!")
        key = key.rstrip("!")
        present, value = lookup(record, key)
        if want == "~":
            ok = not present
        else:
            ok = present and text(value) == want
        if ok == negate:
            return False
    return True


def count(path, filters):
    n = 0
    for _, line in records(path):
        if matches(json.loads(line), filters):
            n += 1
    print(n)
    return 0


def faults_of(r):
    faults = []

    def need(key, kind):
        present, value = lookup(r, key)
        if not present:
            faults.append(f"missing {key}")
        elif not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            faults.append(f"{key} has type {type(value).__name__}")
        return value if present else None

    need("timestamp", str)
    if need("event_type", str) != "alert":
        faults.append("event_type is not alert")
    need("in_iface", str)
    need("out_iface", str)
    need("src_ip", str)
    need("dest_ip", str)
    ip_v = need("ip_v", int)
    proto = need("proto", str)
    if ip_v == 4 and proto != "ICMP" or ip_v == 6 and proto != "IPv6-ICMP":
        faults.append(f"proto {proto} for ip_v {ip_v}")
    icmp_type = need("icmp_type", int)
    icmp_code = need("icmp_code", int)
    verdict = need("verdict", str)
    if verdict not in VERDICTS:
        faults.append(f"verdict {verdict}")
    reason = need("reason", str)
    if reason not in PLAIN_REASONS and not (isinstance(reason, str) and reason.startswith("anomaly:")):
        faults.append(f"reason {reason}")
    if "rule" not in r:
        faults.append("missing rule")
    elif r["rule"] is not None and not isinstance(r["rule"], str):
        faults.append("rule neither null nor a string")
    if reason == "rule" and not r.get("rule"):
        faults.append("reason rule without a rule id")
    if reason == "rate-limit":
        need("limiter", str)
    need("policy", str)
    need("queue", int)
    need("packet_id", int)
    action = need("alert.action", str)
    if verdict == "accept" and action != "allowed" or verdict == "drop" and action != "blocked":
        faults.append(f"alert.action {action} for verdict {verdict}")
    signature = need("alert.signature", str)
    category = need("alert.category", str)
    severity = need("alert.severity", int)
    if isinstance(reason, str):
        if reason == "rule":
            want_signature = r.get("rule")
        elif reason == "rate-limit":
            want_signature = f"rate-limit:{r.get('rule')}"
        else:
            want_signature = reason
        if signature != want_signature:
            faults.append(f"alert.signature {signature!r}, expected {want_signature!r}")
        want_category = ("icmp-anomaly" if reason.startswith("anomaly:") else
                         "icmp-rate-limit" if reason == "rate-limit" else "icmp-policy")
        if category != want_category:
            faults.append(f"alert.category {category!r}, expected {want_category!r}")
        want_severity = 3 if verdict == "accept" else 1 if reason.startswith("anomaly:") else 2
        if severity != want_severity:
            faults.append(f"alert.severity {severity}, expected {want_severity}")
    need("icmp_type_name", str)  # every type the lab sends has a catalogue name
    need("payload_size", int)
    if ip_v == 4 and icmp_type == 5 or ip_v == 6 and icmp_type == 137:
        need("gateway", str)
    if ip_v == 4 and icmp_type == 12 or ip_v == 6 and icmp_type == 4:
        need("pointer", int)
    if ip_v in ECHO_TYPES and icmp_type in ECHO_TYPES[ip_v]:
        need("icmp_id", int)
        need("icmp_seq", int)
    if ip_v == 4 and (icmp_type, icmp_code) in MTU_TYPES[4] or ip_v == 6 and icmp_type == 2:
        need("mtu", int)
    if ip_v in ERROR_TYPES and icmp_type in ERROR_TYPES[ip_v] and not reason.startswith("anomaly:"):
        need("embedded.proto", (str, int))
        need("embedded.src_ip", str)
        need("embedded.dest_ip", str)
        need("embedded.total_length", int)
        if lookup(r, "embedded.proto")[1] in ("TCP", "UDP"):
            need("embedded.src_port", int)
            need("embedded.dest_port", int)
    if reason.startswith("anomaly:"):
        anomalies = need("anomalies", list)
        if isinstance(anomalies, list) and reason[len("anomaly:"):] not in anomalies:
            faults.append(f"{reason} not listed in anomalies {anomalies}")
    return faults


def check(path):
    bad = 0
    total = 0
    for number, line in records(path):
        total += 1
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"{path}:{number}: not JSON: {e}")
            bad += 1
            continue
        if not isinstance(r, dict):
            print(f"{path}:{number}: not a JSON object")
            bad += 1
            continue
        faults = faults_of(r)
        if faults:
            bad += 1
            print(f"{path}:{number}: {'; '.join(faults)}: {line[:300]}")
    print(f"{total} records, {bad} with faults")
    return 1 if bad or total == 0 else 0


def table(path):
    groups = collections.Counter()
    for _, line in records(path):
        r = json.loads(line)
        groups[(r.get("ip_v"), r.get("icmp_type"), r.get("icmp_code"), r.get("verdict"), r.get("reason"),
                r.get("rule"), r.get("limiter"))] += 1
    for key, n in sorted(groups.items(), key=lambda kv: str(kv[0])):
        print(n, *key)
    return 0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, path = argv[1], argv[2]
    if command == "count":
        return count(path, argv[3:])
    if command == "check":
        return check(path)
    if command == "table":
        return table(path)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
