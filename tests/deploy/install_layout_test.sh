#!/usr/bin/env bash
# `cmake --install BUILD --prefix /usr` into a scratch DESTDIR puts every deployed file where
# docs/deployment.md says, executables executable. Usage: install_layout_test.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: install_layout_test.sh BUILD_DIR}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

DESTDIR=$stage cmake --install "$build" --prefix /usr >/dev/null

failures=0
passes=0
# expect_file PATH MODE_TEST: MODE_TEST is -x (executable) or -f (regular file).
expect_file() {
  if test "$2" "$stage$1"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $1 missing or not $2" >&2; fi
}
expect_file /usr/sbin/icmpgate -x
expect_file /lib/systemd/system/icmpgate.service -f
expect_file /lib/systemd/system/icmpgate-rules.service -f
expect_file /usr/lib/sysusers.d/icmpgate.conf -f
expect_file /etc/logrotate.d/icmpgate -f
expect_file /etc/icmpgate/icmpgate.nft -f
expect_file /etc/icmpgate/policy.json -f
expect_file /usr/share/icmpgate/icmpgate.nft -f
expect_file /usr/share/icmpgate/icmpgate-rules.sh -x
expect_file /usr/share/icmpgate/policies/default.json -f
expect_file /usr/share/icmpgate/compare.schema.json -f
expect_file /usr/share/doc/icmpgate/deployment.md -f

# Nothing under usr/etc (the CMAKE_INSTALL_SYSCONFDIR trap) and nothing outside the known roots.
if [[ -e $stage/usr/etc ]]; then failures=$((failures + 1)); echo "FAIL: files under /usr/etc" >&2; else passes=$((passes + 1)); fi
stray=$(cd "$stage"; find . -type f | grep -vE '^\./(usr/(sbin|share|lib/sysusers\.d)|etc/(icmpgate|logrotate\.d)|lib/systemd/system)/' || true)
if [[ -z "$stray" ]]; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: unexpected files: $stray" >&2; fi

echo "install_layout_test: $passes passed, $failures failed"
((failures == 0))
