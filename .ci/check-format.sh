#!/usr/bin/env bash
# Every C++ file in the tree is as clang-format (Debian 12: version 14) writes it with the root's
# .clang-format: no style review by hand, and diffs stay about behaviour. Fix: clang-format -i FILE.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "check-format: clang-format not found (.ci/install-deps.sh --with-tests)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cc' '*.h')
((${#files[@]} > 0)) || { echo "check-format: no C++ files found (not a git checkout?)" >&2; exit 1; }
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]} > 0)); then
  echo "check-format: not clang-formatted (clang-format -i FILE): ${bad[*]}" >&2
  exit 1
fi
echo "format ok (${#files[@]} files)"
