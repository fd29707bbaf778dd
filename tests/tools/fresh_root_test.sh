#!/usr/bin/env bash
# Proves that .ci/install-deps.sh installs every tool the suite uses: runs the README's test
# command, `bash .ci/test.sh`, as CI runs it (root, CI=true) in a minimal Debian 12 root where
# nothing was installed by hand.
#
#   tests/tools/fresh_root_test.sh [--base DIR] [--ref REF] [--work DIR] [--keep]
#
#   --base DIR   a `debootstrap --variant=minbase bookworm` root to start from; it is copied, never
#                changed. Without it the script runs debootstrap itself (about 2 minutes).
#   --ref REF    what to test: a branch or commit of the repository this script is in (default:
#                HEAD's commit). It is cloned with git into WORK/root/src/icmpgate.
#   --work DIR   where the root is made (default: a new /var/tmp/icmpgate-fresh.XXXXXX); removed at
#                the end unless --keep.
#
# Inside the root: /proc, /sys (with /sys/fs/cgroup), /dev (with /dev/pts) bound from the host,
# a tmpfs on /run, the host's resolv.conf for apt; ../shared beside the clone (bind-mounted
# read-only from the repository's ../shared, when it exists: the differential and log schema tests
# need it). Everything runs in a private mount namespace and every mount is undone on exit.
# The tests that build labs (e2e, deploy) run under `flock $ICMPGATE_LAB_LOCK` (default
# /work/.lab.lock when it exists): other suites on the machine build labs too.
#
# Not part of CTest: it takes the whole suite's time plus the package installs (half an hour or
# more on two cores). It prints the packages it found missing before the run (every one of them is
# installed by .ci/install-deps.sh), the duration and the result; docs/testing.md records a run.
# Needs root, network access to the Debian archive, and debootstrap without --base.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
base="" ref="" work="" keep=no
while (($#)); do
  case $1 in
    --base) base=$(cd "$2" && pwd); shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    --inside) shift; break ;;  # internal: we are in the private mount namespace
    *) echo "usage: fresh_root_test.sh [--base DIR] [--ref REF] [--work DIR] [--keep]" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "fresh_root_test: needs root (chroot, mounts)" >&2; exit 1; }
lock=${ICMPGATE_LAB_LOCK:-}
[[ -n "$lock" || ! -e /work/.lab.lock ]] || lock=/work/.lab.lock

# ---- outside: re-run this script in a private mount namespace, so no mount can leak to the host
if [[ "${FRESH_ROOT_INSIDE:-}" != yes ]]; then
  ref=$(git -C "$repo" rev-parse --verify "${ref:-HEAD}^{commit}")
  if [[ -z "$work" ]]; then work=$(mktemp -d /var/tmp/icmpgate-fresh.XXXXXX); else mkdir -p "$work"; fi
  work=$(cd "$work" && pwd)
  status=0
  FRESH_ROOT_INSIDE=yes FRESH_BASE=$base FRESH_REF=$ref FRESH_WORK=$work FRESH_LOCK=$lock \
    unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" || status=$?
  # The namespace is gone, and its mounts with it; the directory holds only files now.
  if [[ $keep == no ]]; then
    if findmnt -rn -o TARGET | grep -q "^$work/"; then
      echo "fresh_root_test: something is still mounted under $work; not removing it" >&2
    else
      rm -rf --one-file-system "$work"
    fi
  fi
  exit "$status"
fi

# ---- inside the private mount namespace -----------------------------------------------------------
base=$FRESH_BASE ref=$FRESH_REF work=$FRESH_WORK lock=$FRESH_LOCK
root=$work/root
mounted=()  # innermost last
undo_mounts() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -R "${mounted[i]}" 2>/dev/null || umount -Rl "${mounted[i]}" || true; done
}
trap undo_mounts EXIT
trap 'exit 143' TERM INT HUP
mnt() { # mnt TARGET MOUNT-ARGS...: mount and remember it
  local target=$1
  shift
  mount "$@" "$target"
  mounted+=("$target")
}

start=$SECONDS
if [[ -n "$base" ]]; then
  echo "== copying the minimal root $base"
  cp -a "$base" "$root"
else
  echo "== debootstrap --variant=minbase bookworm"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
fi
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package}\n' | sort >"$work/packages.before"

echo "== cloning $ref"
mkdir -p "$root/src"
git clone --quiet --no-hardlinks "$repo" "$root/src/icmpgate"
git -C "$root/src/icmpgate" checkout --quiet --detach "$ref"
mkdir -p "$root/src/shared"
# The root bound onto itself first: inside the chroot, / is then a mount point, as on a real
# machine (`ip netns exec` and systemd-nspawn change its propagation, which a plain directory
# refuses with EINVAL). The other mounts go on top of it.
mnt "$root" --bind "$root"
if [[ -d "$repo/../shared" ]]; then
  mnt "$root/src/shared" --bind "$repo/../shared"
  mount -o remount,bind,ro "$root/src/shared"
fi

cp /etc/resolv.conf "$root/etc/resolv.conf"
mnt "$root/proc" -t proc proc
mnt "$root/sys" --rbind /sys
mnt "$root/dev" --rbind /dev
mountpoint -q "$root/dev/pts" || mnt "$root/dev/pts" --bind /dev/pts
mnt "$root/run" -t tmpfs -o mode=0755 fresh-run
lock_inside=""
if [[ -n "$lock" ]]; then
  touch "$root/run/icmpgate-lab.lock"
  mnt "$root/run/icmpgate-lab.lock" --bind "$lock"
  lock_inside=/run/icmpgate-lab.lock
fi

echo "== CI=true bash .ci/test.sh in the fresh root"
set +e
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  LANG=C.UTF-8 CI=true ICMPGATE_LAB_LOCK="$lock_inside" \
  bash -c 'cd /src/icmpgate && bash .ci/test.sh' </dev/null 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package}\n' | sort >"$work/packages.after"

elapsed=$((SECONDS - start))
echo "== fresh root: commit $(git -C "$root/src/icmpgate" rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ)," \
  "$((elapsed / 60)) min $((elapsed % 60)) s, .ci/test.sh exit status $status"
echo "== packages installed by .ci/install-deps.sh: $(comm -13 "$work/packages.before" "$work/packages.after" | wc -l)"
# What a test could not find (tests/support/prerequisites.sh), and commands the shell did not find.
missing=$(grep -hoE 'FAIL prerequisites of [^ ]+ .*|[^ ]+: command not found|No module named [^ ]+' "$work/test.log" | sort -u || true)
echo "== missing in the fresh root: ${missing:-nothing}"
exit "$status"
