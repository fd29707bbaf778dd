#!/usr/bin/python3
"""Differential test: icmpgate's decoder against Wireshark's dissectors (tshark).

    /usr/bin/python3 tests/differential/run_differential.py ICMPGATE REPO_ROOT

Every capture is replayed by `icmpgate replay` and dissected by tshark; frame by frame, for
every frame where either sees an ICMP header after the outer IP header, the fields of
compare.FIELDS are compared. Captures: the project's own (tests/golden/*.pcap,
deploy/samples/*.pcap) and every capture in ../shared/captures (made by other projects, see
its SOURCES.md), which is there in CI but not on a user's machine: without it the test fails,
CI=true or not; with ICMPGATE_ALLOW_SKIP=1 it compares the project's own captures, says what it
left out and exits 77 (CTest's "Not Run") when they agree.

accepted_differences.json lists the differences that are conventions icmpgate documents:
per capture and frames, each field's [icmpgate value, tshark value], and the reason. The test
fails on a difference that is not listed and on a listed one that no longer occurs, so the
list stays true.

tshark reads all captures in one run (mergecap joins them in order into one pcapng), with IP
reassembly off: icmpgate judges each packet alone.
"""

import ipaddress
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))

import icmpgate_fields  # noqa: E402  (the one accessor of the record layout)
import tshark_fields  # noqa: E402
from prerequisites import missing_prerequisite, skipping_allowed  # noqa: E402

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap")
ALWAYS = ["ip_v", "src_ip", "dest_ip", "icmp_header", "truncated"]
WITH_HEADER = ["icmp_type", "icmp_code", "checksum_bad", "mtu", "quote_proto", "quote_src_ip", "quote_dest_ip",
               "quote_src_port", "quote_dest_port"]
ADDRESS_FIELDS = {"src_ip", "dest_ip", "quote_src_ip", "quote_dest_ip"}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def need(tool):
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if os.access(os.path.join(directory, tool), os.X_OK):
            return
    missing_prerequisite(f"{tool} is not installed (Debian package tshark / wireshark-common; "
                         ".ci/install-deps.sh --with-tests)")


def captures(root):
    """(name, path) of every capture, in a fixed order; and whether ../shared was there."""
    own = []
    for directory in ("tests/golden", "deploy/samples"):
        for name in sorted(os.listdir(os.path.join(root, directory))):
            if name.endswith(".pcap"):
                own.append((f"{directory}/{name}", os.path.join(root, directory, name)))
    shared_dir = os.path.normpath(os.path.join(root, "..", "shared", "captures"))
    shared = []
    if os.path.isdir(shared_dir):
        for directory, _, files in os.walk(shared_dir):
            for name in files:
                if name.endswith(CAPTURE_SUFFIXES):
                    path = os.path.join(directory, name)
                    shared.append(("shared/" + os.path.relpath(path, shared_dir), path))
        shared.sort()
    return own + shared, os.path.isdir(shared_dir), shared_dir


def replay(icmpgate, policy, path):
    run = subprocess.run([icmpgate, "replay", "--policy", policy, path], capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"icmpgate replay {path} exited {run.returncode}: {run.stderr.strip()}")
    return [json.loads(line) for line in run.stdout.splitlines()]


def dissect(paths, workdir):
    """tshark's JSON for every frame that holds ICMP anywhere, keyed by frame number in the join."""
    joined = os.path.join(workdir, "all.pcapng")
    subprocess.run(["mergecap", "-a", "-F", "pcapng", "-w", joined, *paths], check=True, capture_output=True)
    run = subprocess.run(["tshark", "-n", "-r", joined, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                          "-Y", "icmp || icmpv6", "-T", "json", "--no-duplicate-keys",
                          "-J", "frame ip ipv6 icmp icmpv6"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"tshark exited {run.returncode}: {run.stderr.strip()}")
    frames = {}
    for packet in json.loads(run.stdout or "[]"):
        layers = packet["_source"]["layers"]
        frames[int(layers["frame"]["frame.number"])] = layers
    count = subprocess.run(["capinfos", "-c", "-M", "-T", "-r", joined], check=True, capture_output=True, text=True)
    total = int(count.stdout.split()[-1])
    return frames, total


def canonical(field, value):
    if value is None or field not in ADDRESS_FIELDS:
        return value
    return ipaddress.ip_address(value).compressed


def differences(ours, theirs):
    """[(field, icmpgate value, tshark value)] for one frame; a side that saw no IP packet
    (or, for tshark, no ICMP anywhere in the frame) is compared on icmp_header alone."""
    if not (ours and ours["icmp_header"]) and not (theirs and theirs["icmp_header"]):
        return []
    if ours is None or theirs is None:
        return [("icmp_header", bool(ours and ours["icmp_header"]), bool(theirs and theirs["icmp_header"]))]
    fields = ALWAYS + (WITH_HEADER if ours["icmp_header"] and theirs["icmp_header"] else [])
    found = []
    for field in fields:
        a, b = canonical(field, ours[field]), canonical(field, theirs[field])
        if a != b:
            found.append((field, a, b))
    return found


def frame_set(entry):
    frames = set()
    for item in entry["frames"]:
        if isinstance(item, str):
            low, high = item.split("-")
            frames.update(range(int(low), int(high) + 1))
        else:
            frames.add(item)
    return frames


def main():
    if len(sys.argv) != 3:
        fail("usage: run_differential.py ICMPGATE REPO_ROOT")
    icmpgate, root = sys.argv[1], os.path.abspath(sys.argv[2])
    for tool in ("tshark", "mergecap", "capinfos"):
        need(tool)
    policy = os.path.join(HERE, "policy.json")
    with open(os.path.join(HERE, "accepted_differences.json")) as f:
        accepted = json.load(f)
    for entry in accepted:
        if not entry.get("reason") or not entry.get("differences") or not entry.get("frames"):
            fail(f"accepted difference without a reason, a difference or a frame: {entry}")

    listed, shared_present, shared_dir = captures(root)
    if not shared_present:
        if not skipping_allowed():
            missing_prerequisite(f"{shared_dir} is missing: the differential test compares the shared captures")
        print(f"left out: the captures of {shared_dir} (not on this machine); comparing the project's own only")

    records = {name: replay(icmpgate, policy, path) for name, path in listed}
    with tempfile.TemporaryDirectory() as workdir:
        dissected, total = dissect([path for _, path in listed], workdir)
    frames_ours = sum(len(r) for r in records.values())
    if total != frames_ours:
        fail(f"tshark read {total} frames, icmpgate {frames_ours}: the captures do not line up")

    found = []  # (capture, frame, field, icmpgate value, tshark value)
    compared = 0
    offset = 0
    for name, _ in listed:
        for record in records[name]:
            frame = icmpgate_fields.frame_number(record)
            layers = dissected.get(offset + frame)
            ours = icmpgate_fields.compared_fields(record)
            theirs = tshark_fields.compared_fields(layers) if layers else None
            if ours["icmp_header"] or (theirs and theirs["icmp_header"]):
                compared += 1
            ours_or_none = ours if ours["ip_v"] is not None else None
            for field, a, b in differences(ours_or_none, theirs):
                found.append((name, frame, field, a, b))
        offset += len(records[name])

    covered = {name for name, _ in listed}
    unexplained = []
    used = set()  # (entry index, frame, field)
    for name, frame, field, a, b in found:
        match = next((i for i, e in enumerate(accepted)
                      if e["capture"] == name and frame in frame_set(e) and e["differences"].get(field) == [a, b]),
                     None)
        if match is None:
            unexplained.append((name, frame, field, a, b))
        else:
            used.add((match, frame, field))
    stale = [(e["capture"], frame, field) for i, e in enumerate(accepted) if e["capture"] in covered
             for frame in sorted(frame_set(e)) for field in e["differences"] if (i, frame, field) not in used]
    left_out = sorted({e["capture"] for e in accepted if e["capture"] not in covered})

    print(f"{len(listed)} captures, {frames_ours} frames, {compared} with an ICMP header on either side; "
          f"{len(found)} differences, {len(found) - len(unexplained)} of them accepted")
    if left_out:
        print(f"left out: {len(left_out)} captures named in accepted_differences.json are not here")
    for name, frame, field, a, b in unexplained:
        print(f"UNEXPLAINED {name} frame {frame}: {field}: icmpgate {json.dumps(a)}, tshark {json.dumps(b)}")
    for name, frame, field in stale:
        print(f"NO LONGER OCCURS {name} frame {frame}: {field} (remove it from accepted_differences.json)")
    if unexplained or stale:
        sys.exit(1)
    if not shared_present:
        print(f"SKIP the captures of {shared_dir} (ICMPGATE_ALLOW_SKIP=1); the project's own agree")
        sys.exit(77)
    print("OK")


if __name__ == "__main__":
    main()
