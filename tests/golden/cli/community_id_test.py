#!/usr/bin/python3
"""`icmpgate replay --community-id [--community-id-seed N]` end to end: every verdict record of
the sample and golden captures carries the Community ID v1 that an independent hashlib
implementation (tests/filter/log/community_id_reference.py, checked against the spec's
published baseline) computes from the record's own addresses, type and code; records without
an ICMP header carry none; the flag changes nothing else in a line; some values are pinned.

    community_id_test.py ICMPGATE REPO_ROOT
"""

import json
import os
import re
import subprocess
import sys
import unittest

ICMPGATE = ""
ROOT = ""


def reference():
    sys.path.insert(0, os.path.join(ROOT, "tests", "filter", "log"))
    import community_id_reference  # noqa: E402
    return community_id_reference


def replay(capture, *flags, policy="deploy/policies/default.json"):
    r = subprocess.run([ICMPGATE, "replay", *flags, "--policy", os.path.join(ROOT, policy),
                        os.path.join(ROOT, capture)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


CAPTURES = ["deploy/samples/gateway-sample.pcap", "tests/golden/ipv6-extensions.pcap",
            "tests/golden/names.pcap", "tests/golden/anomalies.pcap", "tests/golden/not-icmp.pcap"]


class CommunityId(unittest.TestCase):
    def check_capture(self, capture, seed):
        ref = reference()
        flags = ["--community-id"] + (["--community-id-seed", str(seed)] if seed else [])
        plain = replay(capture)
        with_id = replay(capture, *flags)
        self.assertEqual(len(plain), len(with_id))
        counted = 0
        for before, after in zip(plain, with_id):
            record = json.loads(after)
            # The flag adds one field after the ICMP header and changes nothing else.
            self.assertEqual(re.sub(r'"community_id":"[^"]*",', "", after), before)
            proto = record.get("proto")
            if proto in ("ICMP", "IPv6-ICMP") and "icmp_type" in record:
                want = ref.community_id_icmp(record["src_ip"], record["dest_ip"], record["icmp_type"],
                                             record["icmp_code"], seed)
                self.assertEqual(record.get("community_id"), want, after)
                counted += 1
            elif "src_ip" in record and proto is not None and proto not in ("ICMP", "IPv6-ICMP", "TCP", "UDP", "SCTP", "132"):
                # A protocol without a name is its decimal number, as a string.
                number = int(proto) if proto.isdigit() else None
                if number is not None:
                    self.assertEqual(record.get("community_id"),
                                     ref.community_id_portless(record["src_ip"], record["dest_ip"], number, seed))
            else:
                self.assertNotIn("community_id", record, after)
        return counted

    def test_every_record_matches_the_reference_with_seed_0_and_a_seed(self):
        total = 0
        for capture in CAPTURES:
            for seed in (0, 4242):
                with self.subTest(capture=capture, seed=seed):
                    total += self.check_capture(capture, seed)
        self.assertGreater(total, 100)

    def test_pinned_values(self):
        sample = {r["pcap_cnt"]: r for r in map(json.loads, replay("deploy/samples/gateway-sample.pcap", "--community-id"))}
        pinned = {
            1: "1:kJP941FpZUgBnMTPeXDec/dQsNI=",   # v4 echo request 192.0.2.10 -> 198.51.100.20
            2: "1:kJP941FpZUgBnMTPeXDec/dQsNI=",   # its reply: the same flow
            3: "1:Ww6Ur/oBytxsmolQ3ai02VLflg4=",   # v6 echo request
            4: "1:Ww6Ur/oBytxsmolQ3ai02VLflg4=",   # its reply
            55: "1:e3akoUA1FsudNLi7COaIcRND5+g=",  # v6 time exceeded from a router (the error itself)
            56: "1:BHIDHEyHFtCwAzwFpBvn+R31a6A=",  # v4 frag needed
            71: "1:/hEDtzMEqxux/0m6zHZKxsuUYzU=",  # v4 timestamp request
        }
        for frame, want in pinned.items():
            self.assertEqual(sample[frame]["community_id"], want, frame)
        self.assertNotIn("community_id", sample[66])  # a non-first fragment, ICMP without its header: no id
        self.assertIn("community_id", sample[65])  # truncated, but its IP and ICMP headers were read
        self.assertNotIn("community_id", sample[68])  # TCP: icmpgate decodes no ports
        other = {r["pcap_cnt"]: r for r in map(json.loads, replay("tests/golden/not-icmp.pcap", "--community-id"))}
        self.assertEqual(other[4]["community_id"], "1:As6eVbuDDdzrcZ1A+m/aWUbzoow=")  # GRE: addresses only
        self.assertNotIn("community_id", other[5])  # ICMPv6 in IPv4

    def test_same_id_for_every_echo_request_and_its_reply(self):
        lines = [json.loads(l) for l in replay("deploy/samples/gateway-sample.pcap", "--community-id")]
        ids = {}
        for r in lines:
            own = r["icmpgate"]
            if r.get("icmp_type") in (0, 8, 128, 129) and "icmp_id" in own:
                ids.setdefault((r["ip_v"], own["icmp_id"], own["icmp_seq"]), set()).add(
                    (r["icmp_type"], r["community_id"]))
        pairs = [v for v in ids.values() if len({t for t, _ in v}) == 2]
        self.assertTrue(pairs, "the sample has no echo request with its reply")
        for pair in pairs:
            self.assertEqual(len({cid for _, cid in pair}), 1, pair)

    def test_seed_needs_the_flag_and_must_fit_16_bits(self):
        for flags, message in ((["--community-id-seed", "1"], "requires --community-id"),
                               (["--community-id", "--community-id-seed", "65536"], "community-id-seed")):
            r = subprocess.run([ICMPGATE, "replay", *flags, "--policy", "p", "c"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(message, r.stderr)
            self.assertEqual(r.stdout, "")

    def test_table_format_is_unchanged(self):
        self.assertEqual(replay("deploy/samples/gateway-sample.pcap", "--format", "table"),
                         replay("deploy/samples/gateway-sample.pcap", "--format", "table", "--community-id"))


if __name__ == "__main__":
    ICMPGATE, ROOT = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
