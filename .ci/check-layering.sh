#!/usr/bin/env bash
# The decoder, the policy engine and decide() are pure code (STYLE.md 3.2): they must not
# include kernel, socket, pcap, netlink or stream headers, nor print or read clocks.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bad=$(grep -nE '#include <(sys/socket\.h|libmnl/|libnetfilter_queue/|linux/netfilter|pcap|iostream|fstream|cstdio|ctime|chrono)|printf\(|std::cout|std::cerr|clock_gettime|\bwrite\(' \
        filter/decode filter/verdict rules/rule_matcher.* rules/rate_limiter.* rules/token_bucket.* 2>/dev/null || true)
if [[ -n "$bad" ]]; then
  echo "layering violation in the pure core:" >&2
  echo "$bad" >&2
  exit 1
fi
if grep -nE '#include "(filter/(log|replay|app|nfq)|rules/policy_)' filter/decode/* filter/verdict/* 2>/dev/null; then
  echo "layering violation: decode/verdict include a shell or loader header" >&2
  exit 1
fi
echo "layering ok"
