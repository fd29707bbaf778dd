#!/bin/bash
# Man pages (issue 6): icmpgate(8) and icmpgate-policy(5), generated at build time from
# docs/man/*.md, render with `man --warnings` without a single warning, carry the sections
# man-pages(7) expects, and icmpgate(8) names every option `icmpgate run --help` and
# `icmpgate replay --help` list (a drift check: a new option must be documented).
#   man_test.sh BUILD_DIR ICMPGATE
# Fails when man is missing (ICMPGATE_ALLOW_SKIP=1: skips, exit 77).
set -u
build=$1
icmpgate=$2
fails=0
passes=0
expect() { # NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then passes=$((passes + 1)); echo "PASS $1"
    else fails=$((fails + 1)); echo "FAIL $1: expected '$2', actual '$3'"; fi
}
source "$(dirname "$0")/../support/prerequisites.sh" # missing_prerequisite
command -v man >/dev/null || missing_prerequisite "man (man-db) missing"
work=$(mktemp -d /tmp/icmpgate-man.XXXXXX)
trap 'rm -rf "$work"' EXIT

for page in icmpgate.8 icmpgate-policy.5; do
    file="$build/man/$page"
    expect "$page generated" yes "$([[ -s $file && -s $file.gz ]] && echo yes || echo no)"
    expect "$page.gz is the same page" yes "$(gzip -dc "$file.gz" | cmp -s - "$file" && echo yes || echo no)"
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$file" >"$work/$page.txt" 2>"$work/$page.warnings"
    expect "$page renders" 0 $?
    expect "$page: no groff/man warnings" "" "$(cat "$work/$page.warnings")"
    for section in NAME SYNOPSIS DESCRIPTION FILES "SEE ALSO"; do
        expect "$page has section $section" 1 "$(grep -c "^$section\$" "$work/$page.txt")"
    done
done
expect "icmpgate.8 has EXIT STATUS and OPTIONS" "1 1" \
    "$(grep -c '^EXIT STATUS$' "$work/icmpgate.8.txt") $(grep -c '^OPTIONS$' "$work/icmpgate.8.txt")"
expect "icmpgate.8 NAME line" "icmpgate - ICMP-aware NFQUEUE filter for Linux gateways" \
    "$(sed -n '/^NAME$/{n;p}' "$work/icmpgate.8.txt" | sed 's/^ *//')"

# Drift: every option of run and replay in the page (rendered as ASCII, so "\-\-x" is "--x").
LC_ALL=C MANWIDTH=200 man -l "$build/man/icmpgate.8" 2>/dev/null | col -b >"$work/icmpgate.8.ascii"
for sub in run replay watch; do
    options=$("$icmpgate" "$sub" --help | grep -oE '^ +(-[a-z],)?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    expect "icmpgate $sub --help lists options" yes "$([[ -n $options ]] && echo yes || echo no)"
    for option in $options; do
        expect "icmpgate.8 documents $sub $option" yes \
            "$(grep -q -E -- "(^|[^a-z-])$option([^a-z0-9-]|\$)" "$work/icmpgate.8.ascii" && echo yes || echo no)"
    done
done
# And every exit status run documents in docs/operations.md.
for code in 0 1 2 69 71; do
    expect "icmpgate.8 documents exit status $code" 1 \
        "$(sed -n '/^EXIT STATUS$/,/^[A-Z]/p' "$work/icmpgate.8.ascii" | grep -c -E "^ +$code( |\$)")"
done
echo "man_test: $passes passed, $fails failed"
((fails == 0))
