#!/usr/bin/env bash
# Installs the Debian 12 packages icmpgate needs to build, test and run its lab.
# Idempotent: installs only what is missing. Needs root (or sudo) when something is missing.
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config
  libnetfilter-queue-dev libmnl-dev     # NFQUEUE (libmnl-based API)
  libnftnl-dev                          # reads the queue rules' counters (bypassed packets)
  nlohmann-json3-dev                    # policy parsing (cold path only)
  libboost-test-dev                     # unit tests
  libcli11-dev                          # command-line parsing
  libpcap-dev                           # replay of pcap/pcapng captures
  libsystemd-dev                        # sd_notify for Type=notify
  libcap-ng-dev                         # drop to CAP_NET_ADMIN and switch user
  libssl-dev                            # SHA-256 policy digest (libcrypto)
  pandoc                                # man pages icmpgate(8), icmpgate-policy(5) from docs/man/*.md
)
test_pkgs=(
  python3-scapy                         # generates the sample capture and crafted packets
  python3-jsonschema                    # policy and log JSON Schemas (Draft 2020-12 for Suricata's EVE schema)
  python3-prometheus-client             # parses the metrics textfile in the stats e2e test (real parser)
  lintian                               # checks the .deb (tests/package/deb_test.sh)
  man-db groff-base                     # renders the man pages with warnings on (tests/package/man_test.sh)
  clang libclang-rt-14-dev              # sanitizer and fuzzing builds
  clang-format                          # .ci/check-format.sh: the tree as .clang-format writes it
  iproute2 iptables iputils-ping traceroute   # end-to-end lab
  nftables strace logrotate systemd     # deploy/ tests: nft syntax, system-call filter, unit score
  systemd-container                     # systemd-nspawn: boots the units under a real systemd (systemd_boot_test.sh)
  tshark                                # Wireshark's dissectors (tshark, mergecap, capinfos): the differential test's oracle; reads the evidence captures
  util-linux                            # setpriv: icmpgate watch as nobody with CAP_NET_RAW only (watch_test.sh)
  dbus                                  # the booted container's D-Bus: systemd-run in systemd_boot_test.sh
  procps                                # ps, sysctl (the lab's namespaces, the booted container)
  bc                                    # sums counters in tests/e2e/stats_test.sh
  bsdextrautils                         # column (lab tables), col (man_test.sh)
  libbenchmark-dev                      # Google Benchmark: tests/bench and the bench_smoke test
)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--with-tests" ]]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "icmpgate: installing missing Debian packages: ${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
