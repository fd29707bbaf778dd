#!/usr/bin/python3
"""End-to-end tests of the icmpgate command line: exit codes (0 ok, 1 invalid input,
2 usage), which stream carries what, and the exact messages for bad input.

    cli_test.py ICMPGATE REPO_ROOT
"""

import hashlib
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

ICMPGATE = ""
ROOT = ""


def run(*args):
    return subprocess.run([ICMPGATE, *args], capture_output=True, text=True)


def golden(name):
    return os.path.join(ROOT, "tests", "golden", name)


class Version(unittest.TestCase):
    def test_version_prints_gnu_style_first_line_and_libraries_on_stdout(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^icmpgate \d+\.\d+\.\d+$")
        self.assertTrue(any(line.startswith("libpcap version") for line in lines[1:]))
        self.assertEqual(r.stderr, "")

    def test_version_with_another_argument_is_a_usage_error(self):
        for args in (["--version", "extra"], ["--version", "check", "p.json"], ["check", "p.json", "--version"]):
            with self.subTest(args=args):
                r = run(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertTrue(r.stderr.startswith("icmpgate: "), r.stderr)

    def test_help_goes_to_stdout_with_exit_0(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("Usage:", r.stdout)
        self.assertIn("replay", r.stdout)
        self.assertEqual(r.stderr, "")


class UsageErrors(unittest.TestCase):
    """Every usage error: exit 2, nothing on stdout, one line on stderr that starts with
    "icmpgate: " and names the subcommand it is about, then where to find the usage."""

    def check_usage_error(self, args, message, command=""):
        r = run(*args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 2, r.stderr)
        prefix = f"icmpgate: {command}: " if command else "icmpgate: "
        self.assertEqual(lines[0], prefix + message)
        self.assertEqual(lines[1], f"Try 'icmpgate {command + ' ' if command else ''}--help' for more information.")

    def test_no_subcommand(self):
        self.check_usage_error([], "a subcommand is required (check, replay, run, watch or demo)")

    def test_unknown_subcommand(self):
        self.check_usage_error(["frobnicate"], "unknown subcommand 'frobnicate' (expected check, replay, run, watch or demo)")

    def test_unknown_top_level_option(self):
        self.check_usage_error(["--bogus"], "unrecognized option '--bogus'")

    def test_unknown_option(self):
        self.check_usage_error(["replay", "--bogus", "--policy", "p", "x"], "unrecognized option '--bogus'", "replay")

    def test_unknown_option_is_named_even_when_a_required_option_is_missing(self):
        self.check_usage_error(["run", "--bogus"], "unrecognized option '--bogus'", "run")
        self.check_usage_error(["replay", "-x"], "unrecognized option '-x'", "replay")

    def test_extra_positional_argument(self):
        self.check_usage_error(["check", "a.json", "b.json"], "unexpected argument 'b.json'", "check")
        self.check_usage_error(["demo", "now"], "unexpected argument 'now'", "demo")

    def test_version_with_an_argument(self):
        self.check_usage_error(["--version", "extra"], "--version takes no other arguments")

    def test_replay_without_policy(self):
        self.check_usage_error(["replay", golden("not-icmp.pcap")], "--policy is required", "replay")

    def test_run_without_policy(self):
        self.check_usage_error(["run"], "--policy is required", "run")

    def test_option_without_its_value(self):
        self.check_usage_error(["run", "--policy"], "--policy: 1 required TEXT missing", "run")

    def test_replay_without_capture(self):
        self.check_usage_error(["replay", "--policy", golden("not-icmp.policy.json")], "CAPTURE is required", "replay")

    def test_replay_with_unknown_format(self):
        self.check_usage_error(["replay", "--format", "xml", "--policy", golden("not-icmp.policy.json"),
                                golden("not-icmp.pcap")], "--format: xml not in {json,table}", "replay")

    def test_check_without_policy(self):
        self.check_usage_error(["check"], "POLICY is required", "check")

    def test_seed_without_community_id(self):
        self.check_usage_error(["replay", "--community-id-seed", "1", "--policy", "p", "c"],
                               "--community-id-seed requires --community-id", "replay")

    def test_value_out_of_range(self):
        self.check_usage_error(["run", "--policy", "p", "--rcvbuf", "5"],
                               "--rcvbuf: Value 5 not in range 65536 to 1073741824", "run")

    def test_value_not_a_number(self):
        self.check_usage_error(["run", "--policy", "p", "--log-rate", "lots"], "--log-rate: 'lots' is not a valid value",
                               "run")

    def test_malformed_queue_range(self):
        self.check_usage_error(["run", "--policy", "p", "--queue", "3:1"],
                               "--queue: expected N or N:M with N <= M <= 65535, got '3:1'", "run")


class Replay(unittest.TestCase):
    policy = property(lambda self: golden("not-icmp.policy.json"))

    def test_json_records_only_on_stdout_and_summary_on_stderr(self):
        r = run("replay", "--policy", golden("anomalies.policy.json"), golden("anomalies.pcap"))
        self.assertEqual(r.returncode, 0, r.stderr)
        records = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual([rec["pcap_cnt"] for rec in records], list(range(1, 33)))
        self.assertTrue(all(rec["event_type"] == "alert" for rec in records))
        self.assertTrue(all(rec["icmpgate"]["log_version"] == 2 for rec in records))
        self.assertIn("32 frames: 10 accepted, 22 dropped", r.stderr)
        self.assertIn("anomaly:implausible-mtu", r.stderr)

    def test_table_on_stdout_with_totals(self):
        r = run("replay", "--format", "table", "--policy", golden("ratelimit.policy.json"), golden("ratelimit.pcap"))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^frame +time \(UTC\) +source -> destination +type/code +verdict +reason +rule$")
        self.assertRegex(lines[3], r"^ +3 +10:15:00\.000000 +192\.0\.2\.1 -> 198\.51\.100\.20 +echo-request +drop +rate-limit +echo-limited \(limiter echo-per-24\)$")
        self.assertIn("18 frames: 12 accepted, 6 dropped", r.stdout)
        self.assertEqual(r.stderr, "")

    def test_ipv6_addresses_are_rfc5952_unless_expanded_is_asked_for(self):
        args = ["replay", "--policy", golden("echo-from-documentation.policy.json"), golden("ipv6-extensions.pcap")]
        plain = [json.loads(line) for line in run(*args).stdout.splitlines()]
        expanded_run = run(*args[:1], "--expand-ipv6", *args[1:])
        self.assertEqual(expanded_run.returncode, 0, expanded_run.stderr)
        expanded = [json.loads(line) for line in expanded_run.stdout.splitlines()]
        self.assertEqual(len(plain), len(expanded))
        v6 = [(p, e) for p, e in zip(plain, expanded) if p.get("ip_v") == 6]
        self.assertTrue(v6)
        full = re.compile(r"^[0-9a-f]{4}(:[0-9a-f]{4}){7}$")
        for p, e in v6:
            self.assertIn("::", p["src_ip"] + p["dest_ip"])
            for key in ("src_ip", "dest_ip"):
                self.assertRegex(e[key], full)
                self.assertEqual(ipaddress.ip_address(e[key]), ipaddress.ip_address(p[key]))
            # Only the address text differs.
            for key in ("src_ip", "dest_ip"):
                p.pop(key), e.pop(key)
            if "embedded" in p["icmpgate"]:
                for key in ("src_ip", "dest_ip"):
                    self.assertRegex(e["icmpgate"]["embedded"][key], full)
                    p["icmpgate"]["embedded"].pop(key), e["icmpgate"]["embedded"].pop(key)
            self.assertEqual(p, e)

    def test_missing_capture_is_invalid_input(self):
        r = run("replay", "--policy", self.policy, "/nonexistent/capture.pcap")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertTrue(r.stderr.startswith("icmpgate: cannot read capture /nonexistent/capture.pcap: "), r.stderr)

    def test_file_that_is_not_a_capture_is_invalid_input(self):
        r = run("replay", "--policy", self.policy, self.policy)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn(f"icmpgate: cannot read capture {self.policy}: ", r.stderr)

    def test_unsupported_link_type_is_invalid_input(self):
        capture = golden(os.path.join("cli", "unsupported-linktype.cap"))
        r = run("replay", "--policy", self.policy, capture)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("unsupported link type 105 (IEEE802_11)", r.stderr)

    def test_damaged_capture_keeps_earlier_records_and_fails(self):
        with open(golden("not-icmp.pcap"), "rb") as f:
            data = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            damaged = os.path.join(tmp, "damaged.pcap")
            with open(damaged, "wb") as f:
                f.write(data[:-10])  # the last frame loses its end
            r = run("replay", "--policy", self.policy, damaged)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stdout.splitlines()), 4)
        self.assertIn("cannot read frame 5", r.stderr)

    def test_invalid_policy_prints_its_diagnostics(self):
        with tempfile.TemporaryDirectory() as tmp:
            policy = os.path.join(tmp, "bad.json")
            with open(policy, "w") as f:
                f.write('{"version": 1, "default_verdict": "dorp"}\n')
            r = run("replay", "--policy", policy, golden("not-icmp.pcap"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(lines[0], f"{policy}:1:35: error: /default_verdict: unknown verdict 'dorp'; "
                                   "did you mean 'drop'?", r.stderr)
        self.assertEqual(lines[-2], "1 error")
        self.assertEqual(lines[-1], f"icmpgate: invalid policy {policy}")


class Monitor(unittest.TestCase):
    """replay --monitor and rules in monitor mode, as a person reads them (the records themselves:
    the golden cases monitor-mode and monitor-rules)."""

    def test_replay_monitor_table_shows_what_would_have_been_done(self):
        r = run("replay", "--monitor", "--format", "table", "--policy", golden("monitor-mode.policy.json"),
                golden("monitor-mode.pcap"))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^frame +time \(UTC\) +source -> destination +type/code +verdict +reason +rule +monitor$")
        # monitor-mode.policy.json drops echo requests by rule drop-echo; replies have one token.
        self.assertRegex(lines[1], r"^ +1 +\S+ +192\.0\.2\.10 -> 198\.51\.100\.20 +echo-request +accept +monitor +- +"
                                   r"drop rule drop-echo$")
        self.assertRegex(lines[3], r" +accept +monitor +- +drop rate-limit echo-reply \(limiter replies\)$")
        self.assertIn("8 frames: 8 accepted, 0 dropped", lines)
        self.assertIn("  monitor  8", lines)
        self.assertEqual(lines[-1], "would-be (monitor mode): 4 accepted, 4 dropped; dropped by rule 1, default 1, "
                                    "rate-limit 1, anomaly 1; anomalies that decided: bad-checksum 1")

    def test_replay_json_totals_on_stderr_count_the_would_be(self):
        r = run("replay", "--monitor", "--policy", golden("monitor-mode.policy.json"), golden("monitor-mode.pcap"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("would-be (monitor mode): 4 accepted, 4 dropped;", r.stderr)

    def test_a_table_without_monitor_mode_has_no_monitor_column(self):
        r = run("replay", "--format", "table", "--policy", golden("not-icmp.policy.json"), golden("not-icmp.pcap"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("monitor", r.stdout.splitlines()[0])
        self.assertNotIn("would-be", r.stdout)

    def test_check_names_every_rule_in_monitor_mode(self):
        r = run("check", golden("monitor-rules.policy.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        at = lines.index("rules: 6")
        self.assertEqual(lines[at + 1:at + 5], [f"  {rule}: monitor mode (decides nothing)" for rule in (
            "try-echo-per-source", "try-drop-time-exceeded", "try-timestamp-from-lan", "try-drop-replies")])
        self.assertTrue(lines[at + 5].startswith("limiters: "), lines[at + 5])

    def test_run_takes_monitor(self):
        r = run("run", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--monitor", r.stdout)


class Check(unittest.TestCase):
    def test_valid_policy_summary_on_stdout(self):
        policy = os.path.join(ROOT, "deploy", "policies", "default.json")
        r = run("check", policy)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], f"policy: {policy}")
        self.assertRegex(lines[1], r"^digest: sha256:[0-9a-f]{64}$")
        self.assertIn("rules: ", r.stdout)
        self.assertIn("limiters: ", r.stdout)
        self.assertIn("anomalies enabled: truncated (drop), bad-checksum (drop)", r.stdout)

    def test_invalid_policy_lists_errors_and_count_on_stderr(self):
        with tempfile.TemporaryDirectory() as tmp:
            policy = os.path.join(tmp, "bad.json")
            with open(policy, "w") as f:
                f.write('{"version": 1, "default_verdict": "dorp", "rulez": []}\n')
            r = run("check", policy)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr.splitlines(), [
            f"{policy}:1:35: error: /default_verdict: unknown verdict 'dorp'; did you mean 'drop'?",
            f"{policy}:1:43: error: /rulez: unknown key \"rulez\"; did you mean \"rules\"?",
            "2 errors"])

    def test_every_invalid_fixture_prints_its_expected_diagnostics_with_the_path_given(self):
        fixtures = os.path.join(ROOT, "tests", "data", "policies", "invalid")
        names = sorted(n for n in os.listdir(fixtures) if n.endswith(".json"))
        self.assertTrue(names)
        for name in names:
            with self.subTest(name):
                policy = os.path.join(fixtures, name)
                r = run("check", policy)
                self.assertEqual(r.returncode, 1)
                self.assertEqual(r.stdout, "")
                with open(policy[:-len(".json")] + ".expected") as f:
                    expected = [line.replace(name, policy, 1) for line in f.read().splitlines() if line]
                count = len(expected)
                self.assertEqual(r.stderr.splitlines(), expected + [f"{count} error" + ("" if count == 1 else "s")])

    def test_warnings_of_a_valid_policy_go_to_stdout_with_their_positions(self):
        policy = os.path.join(ROOT, "tests", "data", "policies", "valid", "warnings.json")
        r = run("check", policy)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        with open(policy[:-len(".json")] + ".expected") as f:
            expected = [line.replace("warnings.json", policy, 1) for line in f.read().splitlines() if line]
        lines = r.stdout.splitlines()
        at = lines.index(f"warnings: {len(expected)}")
        self.assertEqual(lines[at + 1:], expected)

    def test_syntax_error_has_line_and_column(self):
        with tempfile.TemporaryDirectory() as tmp:
            policy = os.path.join(tmp, "bad.json")
            with open(policy, "w") as f:
                f.write('{\n  "version": 1,\n}\n')
            r = run("check", policy)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.splitlines()[0],
                         f"{policy}:3:1: error: syntax error while parsing object key - unexpected '}}'; "
                         "expected string literal")

    def test_dash_reads_the_policy_from_standard_input(self):
        policy = os.path.join(ROOT, "deploy", "policies", "default.json")
        with open(policy, "rb") as f:
            text = f.read()
        from_file = run("check", policy)
        r = subprocess.run([ICMPGATE, "check", "-"], input=text, capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, b"")
        lines = r.stdout.decode().splitlines()
        self.assertEqual(lines[0], "policy: <stdin>")
        self.assertEqual(lines[1:], from_file.stdout.splitlines()[1:])  # same digest, same summary

    def test_dash_reads_a_policy_longer_than_one_read(self):
        with open(os.path.join(ROOT, "deploy", "policies", "default.json")) as f:
            policy = json.load(f)
        policy["description"] = "x" * 200_000
        text = json.dumps(policy).encode()
        r = subprocess.run([ICMPGATE, "check", "-"], input=text, capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        digest = "sha256:" + hashlib.sha256(text).hexdigest()
        self.assertEqual(r.stdout.decode().splitlines()[1], f"digest: {digest}")

    def test_dash_reports_faults_in_standard_input_as_stdin(self):
        r = subprocess.run([ICMPGATE, "check", "-"], input='{\n  "version": 1,\n}\n', capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr.splitlines()[0], r"^<stdin>:3:\d+: error: ")

    def test_unreadable_policy_is_invalid_input(self):
        r = run("check", "/nonexistent/policy.json")
        self.assertEqual(r.returncode, 1)
        self.assertIn("/nonexistent/policy.json", r.stderr)


if __name__ == "__main__":
    ICMPGATE, ROOT = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
