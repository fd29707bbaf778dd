#!/usr/bin/python3
"""docs/log-format.md must document every field the log can carry and every anomaly name, so
the document cannot drift from the code.

    log_format_doc_test.py REPO_ROOT

Fields come from three places, each named by its full dotted path as the document's tables
name it (icmpgate.embedded.src_port, alert.severity):
- every key the verdict line's layout names (the JsonKey template arguments of put_key<"...">,
  put_number<"...">, ... in filter/log/verdict_line.h), which must be documented under some
  path ending in that key;
- every key of every golden record icmpgate wrote (*.change-detector.jsonl), recursively, into arrays
  of objects too (the members of an array's objects are named `array[].member`);
- every key of the verdict and icmpgate event examples in the document itself.
The stats event's counter tables are checked by the strict schema (docs/log.schema.json)
instead: their maps (rules, limiters, by_reason) have data as keys.
"""

import glob
import json
import os
import re
import sys


def paths(value, prefix=""):
    """Every dotted key path in a JSON object; the objects in an array add `[]` to its path."""
    if not isinstance(value, dict):
        return
    for key, sub in value.items():
        path = f"{prefix}{key}"
        yield path
        yield from paths(sub, path + ".")
        if isinstance(sub, list):
            for element in sub:
                yield from paths(element, path + "[].")


def main(root):
    doc = open(os.path.join(root, "docs", "log-format.md"), encoding="utf-8").read()
    documented = set(re.findall(r"`([a-z_][a-z_.\[\]]*)`", doc))

    missing = []
    layout = os.path.join("filter", "log", "verdict_line.h")
    writer = open(os.path.join(root, layout), encoding="utf-8").read()
    writer_keys = {key for function, key in re.findall(r'(\w+)<"([a-z_]+)">', writer) if function != "put_literal"}
    if len(writer_keys) < 20:
        missing.append(f"only {len(writer_keys)} keys found in {layout}: has the writer changed its key syntax?")
    for key in sorted(writer_keys):
        if not any(name == key or name.endswith("." + key) for name in documented):
            missing.append(f"{key} (written by {layout})")

    records = []
    for path in glob.glob(os.path.join(root, "tests", "golden", "*.change-detector.jsonl")):
        records += [(os.path.basename(path), json.loads(line)) for line in open(path, encoding="utf-8")]
    for block in re.findall(r"^```json\n(.*?)^```", doc, re.S | re.M):
        for line in block.splitlines():
            record = json.loads(line)
            if record.get("event_type") != "stats":
                records.append(("docs/log-format.md example", record))
    for where, record in records:
        for path in paths(record):
            if path not in documented:
                missing.append(f"{path} (in {where})")

    anomaly_table = open(os.path.join(root, "filter", "decode", "anomaly.h"), encoding="utf-8").read()
    for name in re.findall(r'\{Anomaly::[a-z_]+, "([a-z-]+)"', anomaly_table):
        if f"`{name}`" not in doc:
            missing.append(f"anomaly name {name}")

    missing = sorted(set(missing))
    for m in missing:
        print(f"docs/log-format.md does not document: {m}", file=sys.stderr)
    if not missing:
        print(f"docs/log-format.md documents every field ({len(writer_keys)} writer keys, {len(records)} records) "
              "and anomaly name")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
