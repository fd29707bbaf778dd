#!/usr/bin/python3
"""Checks docs/policy.schema.json against the policies in the tree.

- every deploy/policies/*.json and tests/data/policies/valid/*.json must validate;
- every policy documented in README.md, docs/*.md and docs/man/*.md (```json blocks) must
  validate: a whole policy (it has "version") as it is, a rule (it has "id" and "match") as
  the only rule of a policy, a fragment of top-level members inside a version 1 policy;
- every tests/data/policies/invalid/*.json must fail validation, except the fixtures whose
  faults only `icmpgate check` can see (listed in SEMANTIC_ONLY: protection, name/family
  resolution, host bits, duplicate ids, unknown rate limit names), which must still parse
  as JSON.

Usage: check_schema.py [REPO_ROOT]   (default: two directories above this file)
Exit 0 when every check holds, 1 otherwise.
"""
import json
import pathlib
import re
import sys

import jsonschema

# Invalid fixtures the schema cannot reject: their faults are semantic.
SEMANTIC_ONLY = {
    "drops-protected.json",      # protection analysis
    "unknown-rate-limit.json",   # rate limit name lookup, families emptied by addresses
}
# Invalid fixtures that are not JSON at all (the schema never sees them).
NOT_JSON = {"syntax-missing-comma.json"}


TOP_LEVEL = {"$schema", "version", "description", "default_verdict", "anomalies", "rate_limits", "rules"}
FENCED_JSON = re.compile(r"^```json\n(.*?)^```", re.S | re.M)


def documented_policies(root):
    """(where, policy) for every policy, rule or policy fragment in a ```json block of the docs."""
    docs = [root / "README.md"] + sorted((root / "docs").glob("*.md")) + sorted((root / "docs/man").glob("*.md"))
    for doc in docs:
        if not doc.exists():
            continue
        text = doc.read_text()
        for match in FENCED_JSON.finditer(text):
            where = f"{doc.relative_to(root)}:{text.count(chr(10), 0, match.start()) + 2}"
            block = match.group(1)
            try:
                value = json.loads(block)
            except json.JSONDecodeError:
                try:
                    value = json.loads("{" + block + "}")  # members of a policy, e.g. "rate_limits": {...}
                except json.JSONDecodeError:
                    continue  # not a policy (log lines, several objects)
            if not isinstance(value, dict):
                continue
            if "version" in value:
                yield where, value
            elif "id" in value and "match" in value:
                yield where, {"version": 1, "rules": [value]}
            elif value and set(value) <= TOP_LEVEL:
                yield where, {"version": 1, **value}


def main() -> int:
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    schema = json.loads((root / "docs/policy.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = 0

    must_pass = (sorted((root / "deploy/policies").glob("*.json")) +
                 sorted((root / "tests/data/policies/valid").glob("*.json")) +
                 sorted((root / "tests/golden").glob("*.policy.json")) +
                 sorted((root / "tests/golden/compare").glob("*.json")))
    for path in must_pass:
        errors = list(validator.iter_errors(json.loads(path.read_text())))
        if errors:
            failures += 1
            print(f"FAIL {path.relative_to(root)}: schema rejects a valid policy:")
            for error in errors:
                print(f"     /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}")
        else:
            print(f"ok   {path.relative_to(root)}: validates")

    documented = 0
    for where, policy in documented_policies(root):
        documented += 1
        errors = list(validator.iter_errors(policy))
        if errors:
            failures += 1
            print(f"FAIL {where}: schema rejects a documented policy:")
            for error in errors:
                print(f"     /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}")
        else:
            print(f"ok   {where}: documented policy validates")
    if documented == 0:
        failures += 1
        print("FAIL no documented policy found in the docs (the block pattern is broken)")

    for path in sorted((root / "tests/data/policies/invalid").glob("*.json")):
        name = path.name
        if name in NOT_JSON:
            try:
                json.loads(path.read_text())
                failures += 1
                print(f"FAIL {path.relative_to(root)}: expected a JSON syntax error")
            except json.JSONDecodeError:
                print(f"ok   {path.relative_to(root)}: not JSON, as intended")
            continue
        errors = list(validator.iter_errors(json.loads(path.read_text())))
        if name in SEMANTIC_ONLY:
            print(f"ok   {path.relative_to(root)}: semantic faults only (schema finds {len(errors)})")
        elif errors:
            print(f"ok   {path.relative_to(root)}: schema rejects it ({len(errors)} faults)")
        else:
            failures += 1
            print(f"FAIL {path.relative_to(root)}: schema accepts an invalid policy")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
