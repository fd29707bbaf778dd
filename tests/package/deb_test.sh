#!/bin/bash
# The Debian package (issue 6, "Debian package through CPack"): builds the .deb with CPack from
# a configured and built tree, runs lintian (no error, no warning: intended warnings are
# overridden in deploy/debian/lintian-overrides with a reason), checks its control data
# (conffiles, maintainer scripts, fields) and its files, then installs it with dpkg into a
# throwaway root (dpkg --root, maintainer scripts run chrootless with DPKG_ROOT set: they
# create the icmpgate user inside that root only) and checks: files, the conffiles dpkg
# records, the user; an edited /etc/icmpgate/policy.json survives a reinstall, an upgrade,
# and an upgrade whose shipped policy changed (--force-confold: the new one lands as
# .dpkg-dist); remove keeps the conffiles, purge removes them and /var/log/icmpgate.
#   deb_test.sh BUILD_DIR
# Fails when a tool is missing or not root (ICMPGATE_ALLOW_SKIP=1: skips, exit 77).
set -u
build=$(cd "$1" && pwd)
fails=0
passes=0
expect() { # NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then passes=$((passes + 1)); echo "PASS $1"
    else fails=$((fails + 1)); echo "FAIL $1: expected '$2', actual '$3'"; fi
}
source "$(dirname "$0")/../support/prerequisites.sh" # missing_prerequisite
for tool in cpack dpkg dpkg-deb lintian systemd-sysusers; do
    command -v "$tool" >/dev/null || missing_prerequisite "$tool missing"
done
[[ $(id -u) -eq 0 ]] || missing_prerequisite "dpkg --root needs root to own files as root"

work=$(mktemp -d /tmp/icmpgate-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT

# --- build ----------------------------------------------------------------------------------------
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; echo "FAIL cpack"; exit 1; }
deb=$(ls "$work"/out/icmpgate_*.deb)
version=$(dpkg-deb -f "$deb" Version)
expect "package name follows DEB-DEFAULT" "icmpgate_${version}_$(dpkg --print-architecture).deb" "$(basename "$deb")"

# --- lintian --------------------------------------------------------------------------------------
lintian --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1
expect "lintian: no error and no warning" "" "$(grep -E '^[EW]: ' "$work/lintian.log")"

# --- control data ---------------------------------------------------------------------------------
mkdir "$work/control"
dpkg-deb -e "$deb" "$work/control"
expect "conffiles" "/etc/icmpgate/icmpgate.nft /etc/icmpgate/policy.json /etc/logrotate.d/icmpgate" \
    "$(sort "$work/control/conffiles" | paste -sd' ')"
for script in postinst prerm postrm; do
    expect "$script is an executable sh script that passes sh -n" "755 #!/bin/sh ok" \
        "$(stat -c %a "$work/control/$script") $(head -n 1 "$work/control/$script") $(sh -n "$work/control/$script" && echo ok)"
done
expect "postinst creates the user with systemd-sysusers" yes "$(grep -q '^ *systemd-sysusers icmpgate.conf' "$work/control/postinst" && echo yes)"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libnetfilter-queue1 libmnl0 libsystemd0 libpcap0.8 libc6 systemd; do
    expect "Depends names $lib (shlibdeps)" yes "$([[ ",$depends" == *[\ ,]$lib[\ ,]* || ",$depends," == *", $lib,"* ]] && echo yes || echo no)"
done
expect "section and priority" "net optional" "$(dpkg-deb -f "$deb" Section) $(dpkg-deb -f "$deb" Priority)"

# --- files ----------------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $1, $6}' | sed 's|\./|/|' >"$work/files"
has() { grep -E -q "^$1 $2\$" "$work/files" && echo yes || echo "missing $2 ($1)"; }
expect "/usr/sbin/icmpgate executable" yes "$(has '-rwxr-xr-x' /usr/sbin/icmpgate)"
for f in /etc/icmpgate/policy.json /etc/logrotate.d/icmpgate /lib/systemd/system/icmpgate.service \
    /lib/systemd/system/icmpgate-rules.service /usr/lib/sysusers.d/icmpgate.conf \
    /usr/share/icmpgate/policy.schema.json /usr/share/icmpgate/compare.schema.json /usr/share/icmpgate/policies/default.json \
    /usr/share/icmpgate/policies/strict.json /usr/share/doc/icmpgate/copyright \
    /usr/share/doc/icmpgate/changelog.gz /usr/share/man/man8/icmpgate.8.gz /usr/share/man/man5/icmpgate-policy.5.gz; do
    expect "file $f" yes "$(has '-rw-r--r--' "$f")"
done
expect "/etc/icmpgate/icmpgate.nft executable (nft -f script)" yes "$(has '-rwxr-xr-x' /etc/icmpgate/icmpgate.nft)"
expect "/var/log/icmpgate shipped (empty)" yes "$(has 'drwxr-xr-x' /var/log/icmpgate/)"
expect "nothing under /usr/etc or /usr/local" 0 "$(grep -c -E ' /usr/(etc|local)/' "$work/files")"

# --- install into a throwaway root ----------------------------------------------------------------
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() { dpkg --root="$root" --force-script-chrootless --force-depends --force-not-root "$@" </dev/null >>"$work/dpkg.log" 2>&1; }
status() { dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev}' icmpgate 2>/dev/null | tr -d ' '; }
dpkg_root -i "$deb"
expect "dpkg -i: installed" ii "$(status)"
expect "dpkg -i: binary in place and runs" "icmpgate $version" "$("$root/usr/sbin/icmpgate" --version | head -n 1)"
expect "dpkg -i: dpkg records the three conffiles" 3 \
    "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}\n' icmpgate | grep -c '^ /etc/')"
expect "postinst: system user icmpgate created in the root (not on the host)" "icmpgate /usr/sbin/nologin" \
    "$(awk -F: '$1 == "icmpgate" {print $1, $7}' "$root/etc/passwd" 2>/dev/null)"
expect "postinst: user is a system user (uid < 1000)" yes \
    "$(awk -F: '$1 == "icmpgate" {print ($3 < 1000 ? "yes" : "no")}' "$root/etc/passwd" 2>/dev/null)"

edited='{"version": 1, "default": "accept", "rules": []}'
printf '%s\n' "$edited" >"$root/etc/icmpgate/policy.json"
dpkg_root -i "$deb"
expect "reinstall: the edited policy survives" "$edited" "$(cat "$root/etc/icmpgate/policy.json")"

# An upgrade: the same contents under a newer version.
repack() { # VERSION [CHANGE-SHIPPED-POLICY]
    local dir="$work/repack-$1"
    rm -rf "$dir"
    dpkg-deb -R "$deb" "$dir"
    sed -i "s/^Version: .*/Version: $1/" "$dir/DEBIAN/control"
    if [[ -n "${2:-}" ]]; then
        printf '\n' >>"$dir/etc/icmpgate/policy.json"
        (cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 md5sum >DEBIAN/md5sums)
    fi
    dpkg-deb --root-owner-group -b "$dir" "$work/icmpgate_$1.deb" >/dev/null
    echo "$work/icmpgate_$1.deb"
}
dpkg_root -i "$(repack "$version+1")"
expect "upgrade: installed the new version" "$version+1" \
    "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' icmpgate)"
expect "upgrade: the edited policy survives" "$edited" "$(cat "$root/etc/icmpgate/policy.json")"
dpkg_root --force-confold -i "$(repack "$version+2" changed)"
expect "upgrade with a changed shipped policy (--force-confold): edit kept" "$edited" \
    "$(cat "$root/etc/icmpgate/policy.json")"
expect "upgrade with a changed shipped policy: the new one saved as .dpkg-dist" yes \
    "$([[ -f $root/etc/icmpgate/policy.json.dpkg-dist ]] && echo yes || echo no)"

mkdir -p "$root/var/log/icmpgate" && echo '{}' >"$root/var/log/icmpgate/eve.json"
dpkg_root -r icmpgate
expect "remove: binary gone, conffiles kept" "no yes" \
    "$([[ -e $root/usr/sbin/icmpgate ]] && echo yes || echo no) $([[ -f $root/etc/icmpgate/policy.json ]] && echo yes || echo no)"
dpkg_root -P icmpgate
expect "purge: conffiles and logs gone" "no no" \
    "$([[ -e $root/etc/icmpgate/policy.json ]] && echo yes || echo no) $([[ -e $root/var/log/icmpgate ]] && echo yes || echo no)"
expect "purge: package unknown to dpkg" "" "$(status)"

if ((fails > 0)); then
    echo "--- lintian"; cat "$work/lintian.log"; echo "--- dpkg"; cat "$work/dpkg.log"
fi
echo "deb_test: $passes passed, $fails failed"
((fails == 0))
