#!/usr/bin/python3
"""The golden captures and statements are what tests/tools/make_captures.py writes: it is run
into a scratch root and every file it writes must be byte-identical to the committed one (so a
capture is reproducible, and no statement was edited by hand or left stale).

    generator_test.py REPO_ROOT
"""
import filecmp
import os
import subprocess
import sys
import tempfile


def main(root):
    with tempfile.TemporaryDirectory() as scratch:
        run = subprocess.run(["/usr/bin/python3", os.path.join(root, "tests/tools/make_captures.py"), "--root", scratch],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL make_captures.py exited {run.returncode}:\n{run.stderr}")
            return 1
        written = sorted(os.path.relpath(os.path.join(d, f), scratch)
                         for d, _, files in os.walk(scratch) for f in files)
        differ = [p for p in written if not os.path.isfile(os.path.join(root, p))
                  or not filecmp.cmp(os.path.join(scratch, p), os.path.join(root, p), shallow=False)]
    statements = [p for p in written if p.endswith(".statements.jsonl")]
    if differ:
        print("FAIL make_captures.py writes other bytes than the committed files (regenerate them knowingly):")
        for p in differ:
            print(f"  {p}")
        return 1
    captures = sorted(f[:-len(".pcap")] for f in os.listdir(os.path.join(root, "tests/golden")) if f.endswith(".pcap"))
    unstated = [c for c in captures if f"tests/golden/{c}.statements.jsonl" not in statements]
    if unstated:
        print(f"FAIL golden captures without statements from make_captures.py: {', '.join(unstated)}")
        return 1
    print(f"ok: {len(written)} files, {len(statements)} statement files, byte-identical to the committed ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
