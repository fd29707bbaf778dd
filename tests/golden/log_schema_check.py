#!/usr/bin/python3
"""Real log lines against docs/log.schema.json (the JSON Schema of the verdict log).

    log_schema_check.py REPO_ROOT ICMPGATE [LOG_FILE ...]

Validates: every line `icmpgate replay` writes for the shipped sample capture (without and
with --community-id); every line of
the golden expected records (tests/golden/*.expected.jsonl); every example line in
docs/log-format.md; and every line of the LOG_FILEs given (the e2e tests pass the daemon's
log, with its alert, stats and summary lines). Also checks the schema is strict: a record
with an undocumented field, or a stats event missing a counter, is rejected.
Exit 0 when every check holds, 1 otherwise.
"""
import copy
import json
import pathlib
import re
import subprocess
import sys

import jsonschema


def main(root, icmpgate, logs):
    schema = json.loads((root / "docs/log.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = 0
    sources = []

    replay = subprocess.run([icmpgate, "replay", "--policy", str(root / "deploy/policies/default.json"),
                             str(root / "deploy/samples/gateway-sample.pcap")], capture_output=True, text=True)
    if replay.returncode != 0 or not replay.stdout:
        print(f"FAIL icmpgate replay exited {replay.returncode}: {replay.stderr}")
        failures += 1
    sources.append(("replay of deploy/samples/gateway-sample.pcap", replay.stdout.splitlines()))
    with_id = subprocess.run([icmpgate, "replay", "--community-id", "--policy",
                              str(root / "deploy/policies/default.json"),
                              str(root / "deploy/samples/gateway-sample.pcap")], capture_output=True, text=True)
    id_lines = with_id.stdout.splitlines()
    if with_id.returncode != 0 or not any('"community_id":' in line for line in id_lines):
        print(f"FAIL icmpgate replay --community-id exited {with_id.returncode} or wrote no community_id: {with_id.stderr}")
        failures += 1
    sources.append(("replay --community-id of deploy/samples/gateway-sample.pcap", id_lines))
    for path in sorted((root / "tests/golden").glob("*.expected.jsonl")):
        sources.append((str(path.relative_to(root)), path.read_text().splitlines()))
    doc = (root / "docs/log-format.md").read_text()
    doc_lines = [line for block in re.findall(r"^```json\n(.*?)^```", doc, re.S | re.M) for line in block.splitlines()]
    sources.append(("docs/log-format.md examples", doc_lines))
    for log in logs:
        sources.append((log, pathlib.Path(log).read_text().splitlines()))

    records = []
    for name, lines in sources:
        bad = 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            records.append(record)
            errors = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
            if errors:
                bad += 1
                if bad <= 3:
                    print(f"FAIL {name}:{number}: {line[:160]}")
                    for error in errors[:5]:
                        print(f"     /{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:200]}")
        failures += bad
        print(f"{'ok  ' if bad == 0 else 'FAIL'} {name}: {len(lines)} lines, {bad} rejected")

    # Strictness: the schema must reject what the document does not describe.
    alert = next((r for r in records if r.get("event_type") == "alert"), None)
    stats = next((r for r in records if r.get("event_type") == "stats"), None)
    probes = []
    if alert is not None:
        extra = copy.deepcopy(alert)
        extra["flow_id"] = 1
        probes.append(("an alert with an undocumented field (flow_id)", extra))
        wrong = copy.deepcopy(alert)
        wrong["alert"]["action"] = "drop"
        probes.append(("an alert whose alert.action is not EVE's word", wrong))
    if stats is not None:
        missing = copy.deepcopy(stats)
        del missing["stats"]["log"]["dropped_queue_full"]
        probes.append(("a stats event without log.dropped_queue_full", missing))
    if not probes:
        print("FAIL no alert or stats record to probe the schema's strictness with")
        failures += 1
    for what, record in probes:
        if validator.is_valid(record):
            print(f"FAIL the schema accepts {what}")
            failures += 1
        else:
            print(f"ok   the schema rejects {what}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]))
