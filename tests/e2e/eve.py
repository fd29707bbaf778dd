#!/usr/bin/python3
"""Reads icmpgate's verdict log (one JSON object per line) for the end-to-end tests.

  eve.py count LOG [KEY=VALUE ...]   print how many records match every filter
  eve.py check LOG                   every line is a JSON object with the fields docs/log-format.md
                                     promises for a daemon verdict line (types, presence by message
                                     type, alert.* consistent with the verdict and reason); print each
                                     fault, exit 1 if any
  eve.py table LOG                   records grouped by ip_v/icmp_type/icmp_code/verdict/reason/rule

KEY is the field's dotted path (verdict.action, icmpgate.reason, icmpgate.embedded.src_ip,
alert.action). VALUE is compared with the field's JSON text for non-strings (null, true, 8) and
with the string itself for strings. A KEY ending in '!' matches records where the field differs
from VALUE; KEY= with "~" matches absence. A KEY that docs/log-format.md does not document is an
error (exit 2, nothing printed): a filter on a field that does not exist would count 0, and an
"expect 0" check on it could never fail.
"""
import collections
import json
import os
import re
import sys

VERDICTS = {"accept", "drop"}
PLAIN_REASONS = {"rule", "default", "protected", "rate-limit", "not-icmp", "monitor"}
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


def documented_fields():
    """Every dotted field path docs/log-format.md names (in backquotes) for the current layout,
    i.e. before its table of version 1's names."""
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "log-format.md")
    with open(doc, encoding="utf-8") as f:
        current = f.read().split("## Changes from log version 1")[0]
    return set(re.findall(r"`([a-z_][a-z_.]*)`", current))


def count(path, filters):
    known = documented_fields()
    unknown = [f.partition("=")[0].rstrip("!") for f in filters if f.partition("=")[0].rstrip("!") not in known]
    if unknown or any("=" not in f for f in filters):
        print(f"eve.py count: not a documented field filter: {' '.join(unknown or filters)} "
              "(docs/log-format.md names every field)", file=sys.stderr)
        return 2
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
    if need("icmpgate.log_version", int) != 2:
        faults.append("icmpgate.log_version is not 2")
    need("in_iface", str)
    need("icmpgate.out_iface", str)
    need("src_ip", str)
    need("dest_ip", str)
    ip_v = need("ip_v", int)
    proto = need("proto", str)
    if ip_v == 4 and proto != "ICMP" or ip_v == 6 and proto != "IPv6-ICMP":
        faults.append(f"proto {proto} for ip_v {ip_v}")
    icmp_type = need("icmp_type", int)
    icmp_code = need("icmp_code", int)
    verdict = need("verdict.action", str)
    if verdict not in VERDICTS:
        faults.append(f"verdict.action {verdict}")
    reason = need("icmpgate.reason", str)
    if reason not in PLAIN_REASONS and not (isinstance(reason, str) and reason.startswith("anomaly:")):
        faults.append(f"icmpgate.reason {reason}")
    own = r.get("icmpgate", {})
    rule = own.get("rule")
    if "rule" not in own:
        faults.append("missing icmpgate.rule")
    elif rule is not None and not isinstance(rule, str):
        faults.append("icmpgate.rule neither null nor a string")
    if reason == "rule" and not rule:
        faults.append("reason rule without a rule id")
    if reason == "rate-limit":
        need("icmpgate.limiter", str)
    # Monitor mode (docs/log-format.md): --monitor accepts with reason monitor and the policy's
    # decision in icmpgate.monitor (scope policy); a monitor rule's would-be has scope rule.
    if reason == "monitor" or "monitor" in own:
        scope = need("icmpgate.monitor.scope", str)
        if (scope == "policy") != (reason == "monitor"):
            faults.append(f"icmpgate.monitor.scope {scope} with reason {reason}")
        if reason == "monitor" and (verdict != "accept" or rule is not None):
            faults.append("reason monitor without an accept and a null rule")
        if need("icmpgate.monitor.verdict", str) not in VERDICTS:
            faults.append("icmpgate.monitor.verdict is not accept or drop")
        would_be = need("icmpgate.monitor.reason", str)
        if would_be == "monitor" or would_be not in PLAIN_REASONS and not str(would_be).startswith("anomaly:"):
            faults.append(f"icmpgate.monitor.reason {would_be}")
        if would_be == "rate-limit":
            need("icmpgate.monitor.limiter", str)
    need("icmpgate.policy", str)
    need("icmpgate.queue", int)
    need("icmpgate.packet_id", int)
    if need("alert.gid", int) != 1 or need("alert.rev", int) != 1:
        faults.append("alert.gid or alert.rev is not 1")
    signature_id = need("alert.signature_id", int)
    if isinstance(reason, str) and isinstance(signature_id, int):
        fixed = reason != "rule"
        if fixed != (2000000000 <= signature_id <= 2000000999):
            faults.append(f"alert.signature_id {signature_id} for reason {reason}")
    action = need("alert.action", str)
    if verdict == "accept" and action != "allowed" or verdict == "drop" and action != "blocked":
        faults.append(f"alert.action {action} for verdict {verdict}")
    signature = need("alert.signature", str)
    category = need("alert.category", str)
    severity = need("alert.severity", int)
    if isinstance(reason, str):
        if reason == "rule":
            want_signature = rule
        elif reason == "rate-limit":
            want_signature = f"rate-limit:{rule}"
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
    need("icmpgate.icmp_type_name", str)  # every type the lab sends has a catalogue name
    need("icmpgate.payload_size", int)
    if ip_v == 4 and icmp_type == 5 or ip_v == 6 and icmp_type == 137:
        need("icmpgate.gateway", str)
    if ip_v == 4 and icmp_type == 12 or ip_v == 6 and icmp_type == 4:
        need("icmpgate.pointer", int)
    if ip_v in ECHO_TYPES and icmp_type in ECHO_TYPES[ip_v]:
        need("icmpgate.icmp_id", int)
        need("icmpgate.icmp_seq", int)
    if ip_v == 4 and (icmp_type, icmp_code) in MTU_TYPES[4] or ip_v == 6 and icmp_type == 2:
        need("icmpgate.mtu", int)
    if ip_v in ERROR_TYPES and icmp_type in ERROR_TYPES[ip_v] and not reason.startswith("anomaly:"):
        need("icmpgate.embedded.proto", str)
        need("icmpgate.embedded.src_ip", str)
        need("icmpgate.embedded.dest_ip", str)
        need("icmpgate.embedded.total_length", int)
        if lookup(r, "icmpgate.embedded.proto")[1] in ("TCP", "UDP"):
            need("icmpgate.embedded.src_port", int)
            need("icmpgate.embedded.dest_port", int)
    if reason.startswith("anomaly:"):
        anomalies = need("icmpgate.anomalies", list)
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
        own = r.get("icmpgate", {})
        groups[(r.get("ip_v"), r.get("icmp_type"), r.get("icmp_code"), lookup(r, "verdict.action")[1],
                own.get("reason"), own.get("rule"), own.get("limiter"))] += 1
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
