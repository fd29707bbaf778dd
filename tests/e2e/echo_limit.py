#!/usr/bin/python3
"""Prints the limiter that governs echo requests from the lab's client under a policy, as shell
assignments for ping_test.sh: ECHO_RULE, ECHO_LIMITER, ECHO_RATE, ECHO_BURST, ECHO_PER,
ECHO_PREFIX_V4, ECHO_PREFIX_V6, REPLY_LIMITED (1 when the rule for echo replies is rate limited).

  echo_limit.py POLICY

Only what the test needs is understood: the first rule whose match names echo-request (or
echo-reply) by name or number, for the family given or any, is the one that decides; a rule that
lists several limiters reports the one with the lowest rate. Exits 1 when no such rule is limited.
"""
import json
import sys

NAMES = {"echo-request": {"echo-request", "8", "128"}, "echo-reply": {"echo-reply", "0", "129"}}


def as_list(value):
    return value if isinstance(value, list) else [value]


def rule_for(policy, what):
    for rule in policy.get("rules", []):
        match = rule.get("match", {})
        types = {str(t) for t in as_list(match.get("type", []))}
        if "type" in match and not types & NAMES[what]:
            continue
        if any(key in match for key in ("source", "destination", "in_interface", "out_interface", "code")):
            continue  # narrower than "any echo from the client": not the one the flood meets
        return rule
    return None


def main(argv):
    policy = json.load(open(argv[1], encoding="utf-8"))
    limits = policy.get("rate_limits", {})
    request = rule_for(policy, "echo-request")
    if request is None or request.get("verdict") != "accept" or "rate_limit" not in request:
        print("echo_limit.py: no rate-limited accept rule for echo requests", file=sys.stderr)
        return 1
    name = min(as_list(request["rate_limit"]), key=lambda n: limits[n]["rate"])
    limiter = limits[name]
    reply = rule_for(policy, "echo-reply")
    print(f"ECHO_RULE={request['id']}")
    print(f"ECHO_LIMITER={name}")
    print(f"ECHO_RATE={limiter['rate']}")
    print(f"ECHO_BURST={limiter['burst']}")
    print(f"ECHO_PER={limiter.get('per', 'global')}")
    print(f"ECHO_PREFIX_V4={limiter.get('prefix_v4', 32)}")
    print(f"ECHO_PREFIX_V6={limiter.get('prefix_v6', 128)}")
    print(f"REPLY_LIMITED={1 if reply is not None and 'rate_limit' in reply else 0}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
