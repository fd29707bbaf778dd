#!/usr/bin/python3
"""Checks docs/policy.schema.json against the policies in the tree.

- every deploy/policies/*.json and tests/data/policies/valid/*.json must validate;
- every tests/data/policies/invalid/*.json must fail validation, except the fixtures whose
  faults only `icmpgate check` can see (listed in SEMANTIC_ONLY: protection, name/family
  resolution, host bits, duplicate ids, unknown rate limit names), which must still parse
  as JSON.

Usage: check_schema.py [REPO_ROOT]   (default: two directories above this file)
Exit 0 when every check holds, 1 otherwise.
"""
import json
import pathlib
import sys

import jsonschema

# Invalid fixtures the schema cannot reject: their faults are semantic.
SEMANTIC_ONLY = {
    "drops-protected.json",      # protection analysis
    "unknown-rate-limit.json",   # rate limit name lookup, families emptied by addresses
}
# Invalid fixtures that are not JSON at all (the schema never sees them).
NOT_JSON = {"syntax-missing-comma.json"}


def main() -> int:
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    schema = json.loads((root / "docs/policy.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = 0

    must_pass = sorted((root / "deploy/policies").glob("*.json")) + sorted(
        (root / "tests/data/policies/valid").glob("*.json"))
    for path in must_pass:
        errors = list(validator.iter_errors(json.loads(path.read_text())))
        if errors:
            failures += 1
            print(f"FAIL {path.relative_to(root)}: schema rejects a valid policy:")
            for error in errors:
                print(f"     /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}")
        else:
            print(f"ok   {path.relative_to(root)}: validates")

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
