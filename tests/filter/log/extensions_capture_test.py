#!/usr/bin/python3
"""RFC 4884 extension objects from real routers, as icmpgate logs them.

    extensions_capture_test.py ICMPGATE REPO_ROOT

Replays two captures from tcpdump's test suite (../shared/captures/tcpdump-derived, see its
SOURCES.md: the PPP originals with their PPP headers removed): an MPLS traceroute whose Time
Exceeded messages carry RFC 4950 label stacks, and a Time Exceeded carrying an RFC 5837
Interface Information object. Checks icmpgate.extensions of every frame against values read
off the bytes, and the label stacks and interface objects against tshark's dissection.

../shared is not part of the repository: without it the test fails, unless
ICMPGATE_SKIP_SHARED_CAPTURES=1 says to leave it out (the line it prints says so).
"""

import json
import os
import shutil
import subprocess
import sys

POLICY = os.path.join("tests", "golden", "extensions.policy.json")

# Frame by frame, what the bytes hold: the label every Time Exceeded of the MPLS traceroute
# quotes (one entry, bottom of stack, TTL 1, found 128 octets in without a length attribute),
# and none in its three Port Unreachable messages.
MPLS_TRACEROUTE = [100704] * 3 + [102672] * 3 + [None] * 3

RFC5837_INTERFACE = {
    "role": "incoming",
    "ifindex": 15,
    "address": "10.10.10.10",
    "name": "This-is-the-name-of-the-Interface-that-we-are-looking-for-[:-)]",  # 63 octets
}


def replay(icmpgate, root, capture):
    run = subprocess.run([icmpgate, "replay", "--policy", os.path.join(root, POLICY), capture],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise AssertionError(f"replay of {capture} exited {run.returncode}: {run.stderr}")
    return [json.loads(line) for line in run.stdout.splitlines()]


def tshark_fields(capture, fields):
    """Per frame, each field's comma-separated values as tshark dissects them."""
    command = ["tshark", "-r", capture, "-T", "fields", "-E", "separator=|"]
    for field in fields:
        command += ["-e", field]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    return [line.split("|") for line in run.stdout.splitlines()]


def main(icmpgate, root):
    shared = os.path.normpath(os.path.join(root, "..", "shared", "captures", "tcpdump-derived"))
    if not os.path.isdir(shared):
        if os.environ.get("ICMPGATE_SKIP_SHARED_CAPTURES") == "1":
            print(f"NOT RUN: {shared} is missing and ICMPGATE_SKIP_SHARED_CAPTURES=1 leaves it out")
            return 0
        print(f"FAIL {shared} is missing (set ICMPGATE_SKIP_SHARED_CAPTURES=1 to leave these captures out)")
        return 1
    if shutil.which("tshark") is None:
        print("FAIL tshark is missing (.ci/install-deps.sh --with-tests installs it)")
        return 1
    failures = []

    def check(what, actual, expected):
        if actual != expected:
            failures.append(f"{what}: expected {json.dumps(expected)}, got {json.dumps(actual)}")

    capture = os.path.join(shared, "mpls-traceroute.rawip.pcap")
    lines = replay(icmpgate, root, capture)
    check("mpls-traceroute frames", len(lines), len(MPLS_TRACEROUTE))
    dissected = tshark_fields(capture, ["icmp.mpls.label", "icmp.mpls.exp", "icmp.mpls.s", "icmp.mpls.ttl"])
    for number, (line, label, fields) in enumerate(zip(lines, MPLS_TRACEROUTE, dissected), start=1):
        extensions = line["icmpgate"].get("extensions")
        where = f"mpls-traceroute frame {number}"
        if label is None:
            check(where, extensions, None)
            continue
        check(where, extensions, {"announced": False, "checksum": "valid", "objects": 1, "mpls_labels": 1,
                                  "mpls": [{"label": label, "tc": 0, "s": True, "ttl": 1}]})
        by_tshark = [{"label": int(l), "tc": int(tc), "s": s == "1", "ttl": int(ttl)}
                     for l, tc, s, ttl in zip(*(f.split(",") for f in fields))]
        check(where + " against tshark", (extensions or {}).get("mpls"), by_tshark)

    capture = os.path.join(shared, "icmp-rfc5837.rawip.pcap")
    lines = replay(icmpgate, root, capture)
    check("icmp-rfc5837 frames", len(lines), 1)
    extensions = lines[0]["icmpgate"].get("extensions") if lines else None
    check("icmp-rfc5837 frame 1", extensions, {"announced": False, "checksum": "valid", "objects": 1,
                                               "interface_objects": 1, "interfaces": [RFC5837_INTERFACE]})
    role, index, ipv4 = tshark_fields(capture, ["icmp.int_info.role", "icmp.int_info.index", "icmp.int_info.ipv4"])[0]
    roles = ["incoming", "incoming-sub-ip", "outgoing", "next-hop"]
    check("icmp-rfc5837 frame 1 against tshark",
          {key: value for key, value in RFC5837_INTERFACE.items() if key != "name"},
          {"role": roles[int(role)], "ifindex": int(index), "address": ipv4})

    for failure in failures:
        print(f"FAIL {failure}")
    if not failures:
        print("extension objects of the MPLS traceroute and RFC 5837 captures logged as the bytes and tshark say")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
