#!/usr/bin/python3
"""What a policy does with the traffic the end-to-end tests send, as shell assignments.

  policy_facts.py POLICY

Prints, for ping_test.sh: ECHO_RULE_V4, ECHO_RULE_V6 (the rules that decide echo requests from
the lab's client), ECHO_LIMITER, ECHO_RATE, ECHO_BURST, ECHO_PER, ECHO_PREFIX_V4, ECHO_PREFIX_V6
(the strictest limiter of the v4 rule, by rate), REPLY_LIMITED (1 when echo replies are rate
limited too); for errors_test.sh: REDIRECT4_REASON/REDIRECT4_RULE and REDIRECT6_REASON/
REDIRECT6_RULE (a Redirect forwarded by gw: v6 arrives with hop limit 254, so an enabled
bad-hop-limit anomaly decides it before any rule).

Only the match keys the tests need are understood: a rule with source, destination, interface,
code or payload_size conditions is taken as not matching. Exits 1 when no rule rate-limits echo.
"""
import json
import sys

TYPES = {
    ("ipv4", "echo-request"): {"echo-request", "8"},
    ("ipv6", "echo-request"): {"echo-request", "128"},
    ("ipv4", "echo-reply"): {"echo-reply", "0"},
    ("ipv6", "echo-reply"): {"echo-reply", "129"},
    ("ipv4", "redirect"): {"redirect", "5"},
    ("ipv6", "redirect"): {"redirect", "nd-redirect", "137"},
}
NARROWING = ("source", "destination", "in_interface", "out_interface", "code", "payload_size", "embedded")


def as_list(value):
    return value if isinstance(value, list) else [value]


def rule_for(policy, family, what):
    for rule in policy.get("rules", []):
        match = rule.get("match", {})
        if "family" in match and family not in as_list(match["family"]):
            continue
        if "type" in match and not {str(t) for t in as_list(match["type"])} & TYPES[(family, what)]:
            continue
        if any(key in match for key in NARROWING):
            continue
        return rule
    return None


def decision(policy, family, what):
    if family == "ipv6" and what == "redirect" and policy.get("anomalies", {}).get("bad-hop-limit") == "drop":
        return "anomaly:bad-hop-limit", ""
    rule = rule_for(policy, family, what)
    if rule is None:
        return "default", ""
    return "rule", rule["id"]


def main(argv):
    policy = json.load(open(argv[1], encoding="utf-8"))
    limits = policy.get("rate_limits", {})
    v4 = rule_for(policy, "ipv4", "echo-request")
    v6 = rule_for(policy, "ipv6", "echo-request")
    if any(r is None or r.get("verdict") != "accept" or "rate_limit" not in r for r in (v4, v6)):
        print("policy_facts.py: no rate-limited accept rule for echo requests", file=sys.stderr)
        return 1
    name = min(as_list(v4["rate_limit"]), key=lambda n: limits[n]["rate"])
    limiter = limits[name]
    replies = [rule_for(policy, f, "echo-reply") for f in ("ipv4", "ipv6")]
    print(f"ECHO_RULE_V4={v4['id']}")
    print(f"ECHO_RULE_V6={v6['id']}")
    print(f"ECHO_LIMITER={name}")
    print(f"ECHO_RATE={limiter['rate']}")
    print(f"ECHO_BURST={limiter['burst']}")
    print(f"ECHO_PER={limiter.get('per', 'global')}")
    print(f"ECHO_PREFIX_V4={limiter.get('prefix_v4', 32)}")
    print(f"ECHO_PREFIX_V6={limiter.get('prefix_v6', 128)}")
    print(f"REPLY_LIMITED={1 if any(r is not None and 'rate_limit' in r for r in replies) else 0}")
    for family, prefix in (("ipv4", "REDIRECT4"), ("ipv6", "REDIRECT6")):
        reason, rule = decision(policy, family, "redirect")
        print(f"{prefix}_REASON={reason}")
        print(f"{prefix}_RULE={rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
