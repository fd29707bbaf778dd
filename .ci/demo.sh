#!/usr/bin/env bash
# The main job on a built-in default: installs what is missing, builds icmpgate, then runs
# `icmpgate demo`: a lab of network namespaces with the daemon on the gateway's FORWARD chain
# and the default policy, real ping / traceroute / path-MTU / flood / forged-error traffic
# through it, and a summary of the verdicts. Needs root (it uses sudo when not root).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$ICMPGATE_ROOT/.ci/install-deps.sh" --with-tests
configure_and_build "$ICMPGATE_ROOT/build" -DICMPGATE_TESTS=OFF
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
exec "${sudo[@]}" "$ICMPGATE_ROOT/build/icmpgate" demo
