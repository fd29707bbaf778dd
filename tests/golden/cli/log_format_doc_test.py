#!/usr/bin/python3
"""docs/log-format.md must document every field the line writer can emit and every anomaly
name, so the document cannot drift from the code.

    log_format_doc_test.py REPO_ROOT

Fields come from two places: the key("...") calls in filter/log/json_line.cc (every field the
writer knows) and the keys of every golden expected record (every field actually written,
with its parent object: embedded.src_port, alert.severity, fragment.offset).
"""

import glob
import json
import os
import re
import sys


def main(root):
    doc = open(os.path.join(root, "docs", "log-format.md"), encoding="utf-8").read()
    documented = set(re.findall(r"`([a-z_.]+)`", doc))
    # A table row naming `a`, `b` documents both; "`embedded` fields" rows are embedded.<name>.
    embedded_section = doc.split("`embedded` fields:", 1)[1].split("###", 1)[0]
    documented |= {"embedded." + name for name in re.findall(r"`([a-z_]+)`", embedded_section)}

    missing = []
    writer = open(os.path.join(root, "filter", "log", "json_line.cc"), encoding="utf-8").read()
    for key in sorted(set(re.findall(r'key\("([a-z_]+)"\)', writer))):
        if not any(name in documented for name in (key, "alert." + key, "fragment." + key, "embedded." + key)):
            missing.append(f"{key} (written by json_line.cc)")

    for path in glob.glob(os.path.join(root, "tests", "golden", "*.expected.jsonl")):
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            for key, value in record.items():
                if key not in documented:
                    missing.append(f"{key} (in {os.path.basename(path)})")
                if isinstance(value, dict):
                    for sub in value:
                        if f"{key}.{sub}" not in documented:
                            missing.append(f"{key}.{sub} (in {os.path.basename(path)})")

    anomaly_table = open(os.path.join(root, "filter", "decode", "anomaly.h"), encoding="utf-8").read()
    for name in re.findall(r'\{Anomaly::[a-z_]+, "([a-z-]+)"', anomaly_table):
        if f"`{name}`" not in doc:
            missing.append(f"anomaly name {name}")

    missing = sorted(set(missing))
    for m in missing:
        print(f"docs/log-format.md does not document: {m}", file=sys.stderr)
    if not missing:
        print(f"docs/log-format.md documents every field and anomaly name")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
