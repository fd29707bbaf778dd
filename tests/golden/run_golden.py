#!/usr/bin/python3
"""Golden replay test: runs `icmpgate replay` over a committed capture and compares every
verdict record with the statement the capture generator made about that frame.

    run_golden.py ICMPGATE GOLDEN_DIR CASE
    run_golden.py ICMPGATE GOLDEN_DIR --change-detector [--update] CASE...

A case is, in GOLDEN_DIR:
    CASE.pcap               the capture (pcap or pcapng inside)
    CASE.policy.json        the policy, or
    CASE.policy             one line naming the policy file, relative to GOLDEN_DIR
    CASE.statements.jsonl   one statement per frame, in frame order: {"frame": N, "why": ...,
                            "fields": {NAME: VALUE}, "absent": [NAME, ...]}
    CASE.replay-args        optional: options the case is replayed with (`--monitor`)
The capture and the statements are written by tests/tools/make_captures.py, which works each
verdict, reason, rule, limiter and anomaly list out from the case's policy and docs/policy.md,
and reads the key fields from the bytes it built (tests/tools/frame_facts.py). They are never
written from icmpgate's output. Every frame must have a statement, every statement a record.

The comparison is type-strict: 1 is not true, 1500 is not 1500.0, "47" is not 47. A field in
"absent" must not be in the record. Fields not named are not compared here.

NAMEs are logical; LAYOUT maps them to where log format version 2 (docs/log-format.md) writes
them, and record_field() is the one place that reads a record: a layout change is one edit.

--change-detector compares whole records with CASE.change-detector.jsonl, icmpgate's own output
recorded earlier. It is labelled a change detector because that is all it is: it proves the
output did not change, not that it is right (the statements do that); it runs as its own CTest
test (golden_change_detector). --update rewrites those files from the current output; review
the diff before committing it.
"""

import json
import os
import subprocess
import sys

# Logical field -> path in a log_version 2 verdict record (docs/log-format.md).
LAYOUT = {
    "frame": ("pcap_cnt",),
    "verdict": ("verdict", "action"),
    "reason": ("icmpgate", "reason"),
    "rule": ("icmpgate", "rule"),
    "limiter": ("icmpgate", "limiter"),
    "monitor": ("icmpgate", "monitor"),
    "anomalies": ("icmpgate", "anomalies"),
    "ip_v": ("ip_v",),
    "src_ip": ("src_ip",),
    "dest_ip": ("dest_ip",),
    "proto": ("proto",),
    "icmp_type": ("icmp_type",),
    "icmp_code": ("icmp_code",),
    "icmp_id": ("icmpgate", "icmp_id"),
    "icmp_seq": ("icmpgate", "icmp_seq"),
    "payload_size": ("icmpgate", "payload_size"),
    "mtu": ("icmpgate", "mtu"),
    "pointer": ("icmpgate", "pointer"),
    "gateway": ("icmpgate", "gateway"),
    "fragment.offset": ("icmpgate", "fragment", "offset"),
    "fragment.more": ("icmpgate", "fragment", "more"),
    "embedded": ("icmpgate", "embedded"),
    "extensions": ("icmpgate", "extensions"),
}
EMBEDDED = ("proto", "src_ip", "dest_ip", "src_port", "dest_port", "icmp_type", "icmp_code", "icmp_id",
            "icmp_seq", "total_length", "fragment_offset")
LAYOUT.update({f"embedded.{name}": ("icmpgate", "embedded", name) for name in EMBEDDED})

MISSING = object()


def record_field(record, name):
    """The value of logical field NAME in a verdict record, or MISSING."""
    node = record
    for part in LAYOUT[name]:
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def same(expected, actual):
    """Equal and of the same JSON type, all the way down (bool is not int, int is not float)."""
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict):
        return expected.keys() == actual.keys() and all(same(expected[k], actual[k]) for k in expected)
    return expected == actual


def policy_path(golden_dir, case):
    direct = os.path.join(golden_dir, case + ".policy.json")
    if os.path.exists(direct):
        return direct
    indirect = os.path.join(golden_dir, case + ".policy")
    with open(indirect, encoding="utf-8") as f:
        return os.path.normpath(os.path.join(golden_dir, f.read().strip()))


def replay_args(golden_dir, case):
    """The case's own replay options (CASE.replay-args, one line: `--monitor`), or none."""
    path = os.path.join(golden_dir, case + ".replay-args")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return f.read().split()


def replay(icmpgate, golden_dir, case):
    command = [icmpgate, "replay", *replay_args(golden_dir, case), "--policy", policy_path(golden_dir, case),
               os.path.join(golden_dir, case + ".pcap")]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{case}: {' '.join(command)} exited {run.returncode}\n{run.stderr}", file=sys.stderr)
        return None
    return run.stdout.splitlines()


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def shown(value):
    return "(absent)" if value is MISSING else f"{json.dumps(value)} ({type(value).__name__})"


def check_statements(icmpgate, golden_dir, case):
    statements_path = os.path.join(golden_dir, case + ".statements.jsonl")
    if not os.path.exists(statements_path):
        print(f"{case}: no {case}.statements.jsonl: every golden capture needs its statements "
              "(tests/tools/make_captures.py writes them)", file=sys.stderr)
        return 1
    statements = read_jsonl(statements_path)
    lines = replay(icmpgate, golden_dir, case)
    if lines is None:
        return 1
    records = [json.loads(line) for line in lines]
    faults = []
    if [s["frame"] for s in statements] != list(range(1, len(statements) + 1)):
        faults.append("statements are not numbered 1..N in frame order")
    if len(statements) != len(records):
        faults.append(f"{len(statements)} statements but {len(records)} records: every frame needs one of each")
    for statement, record in zip(statements, records):
        frame = statement["frame"]
        wrong = []
        if not same(frame, record_field(record, "frame")):
            wrong.append(f"  frame: record is about frame {shown(record_field(record, 'frame'))}")
        for name, expected in statement["fields"].items():
            actual = record_field(record, name)
            if actual is MISSING or not same(expected, actual):
                wrong.append(f"  {name}: stated {shown(expected)}, record has {shown(actual)}")
        for name in statement["absent"]:
            actual = record_field(record, name)
            if actual is not MISSING:
                wrong.append(f"  {name}: stated absent, record has {shown(actual)}")
        if wrong:
            faults.append(f"frame {frame} ({statement['why']}):\n" + "\n".join(wrong) +
                          f"\n  record: {json.dumps(record, separators=(',', ':'))}")
    if faults:
        print(f"{case}: the records differ from the generator's statements\n" + "\n".join(faults), file=sys.stderr)
        return 1
    compared = sum(len(s["fields"]) + len(s["absent"]) for s in statements)
    print(f"{case}: {len(records)} records agree with the statements ({compared} fields compared)")
    return 0


def check_change_detector(icmpgate, golden_dir, case, update):
    """CASE.change-detector.jsonl: icmpgate's own earlier output, compared whole. Not a verdict on
    correctness, only on change."""
    path = os.path.join(golden_dir, case + ".change-detector.jsonl")
    lines = replay(icmpgate, golden_dir, case)
    if lines is None:
        return 1
    if update:
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
        print(f"{case}: wrote {len(lines)} records to {path}; review the diff before committing it")
        return 0
    if not os.path.exists(path):
        print(f"{case}: CHANGE DETECTOR: no {path} (run with --update)", file=sys.stderr)
        return 1
    recorded = read_jsonl(path)
    actual = [json.loads(line) for line in lines]
    for number, (before, now) in enumerate(zip(recorded, actual), start=1):
        if not same(before, now):
            print(f"{case}: CHANGE DETECTOR (output changed; not a judgement of correctness): record {number}\n"
                  f"  recorded: {json.dumps(before, separators=(',', ':'))}\n"
                  f"  now:      {json.dumps(now, separators=(',', ':'))}", file=sys.stderr)
            return 1
    if len(recorded) != len(actual):
        print(f"{case}: CHANGE DETECTOR: {len(recorded)} records recorded, {len(actual)} now", file=sys.stderr)
        return 1
    print(f"{case}: output unchanged ({len(actual)} records)")
    return 0


def main(argv):
    args = argv[1:]
    if len(args) >= 3 and args[2] == "--change-detector":
        update = "--update" in args[3:]
        cases = [a for a in args[3:] if a != "--update"]
        status = 0
        for case in cases:
            status |= check_change_detector(args[0], args[1], case, update)
        return status
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    return check_statements(*args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
