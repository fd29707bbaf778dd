#!/usr/bin/python3
"""Compares the evidence captures (pcapng, read by tshark) with the daemon's verdict log.

  capture_comments.py compare LOG FILE...   every captured packet's comment against the log record
                                            of the same queue and packet id (verdict, reason, rule,
                                            limiter); prints "captured N, matched M, faults F" and each
                                            fault; exit 1 on any fault
  capture_comments.py count FILE...         print the number of packets with a comment

tshark (Wireshark's reader, not ours) reads the files: `tshark -r FILE -Y frame.comment -T fields
-e frame.comment`. The comment's format is docs/operations.md's ("Evidence captures").
"""
import json
import subprocess
import sys


def comments(files):
    out = []
    for path in files:
        text = subprocess.run(["tshark", "-r", path, "-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"],
                              check=True, capture_output=True, text=True).stdout
        out += [line for line in text.splitlines() if line]
    return out


def parse(comment):
    words = comment.split(" ")
    if words[0] != "icmpgate:":
        raise ValueError(f"comment does not start with 'icmpgate:': {comment!r}")
    pairs = {}
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep:
            raise ValueError(f"not key=value: {word!r} in {comment!r}")
        pairs[key] = value
    return pairs


def compare(log_path, files):
    records = {}
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("event_type") != "alert":
                continue
            g = r["icmpgate"]
            records[(g["queue"], g["packet_id"])] = r
    faults = []
    matched = 0
    captured = comments(files)
    for c in captured:
        p = parse(c)
        key = (int(p["queue"]), int(p["packet_id"]))
        r = records.get(key)
        if r is None:
            faults.append(f"no log record for queue {key[0]} packet {key[1]}: {c}")
            continue
        g = r["icmpgate"]
        want = {"verdict": r["verdict"]["action"], "reason": g["reason"], "rule": g["rule"] or "-",
                "limiter": g.get("limiter") or "-", "in": r.get("in_iface", "-"), "out": g.get("out_iface", "-"),
                "policy": g["policy"]}
        got = {k: p.get(k) for k in want}
        if got != want:
            faults.append(f"queue {key[0]} packet {key[1]}: comment {got} != log {want}")
        else:
            matched += 1
    print(f"captured {len(captured)}, matched {matched}, faults {len(faults)}")
    for fault in faults:
        print("  " + fault)
    return 1 if faults else 0


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3:])
    if sys.argv[1] == "count":
        print(len(comments(sys.argv[2:])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
