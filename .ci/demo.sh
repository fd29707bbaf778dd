#!/usr/bin/env bash
# The main job on a built-in default: installs what is missing, builds icmpgate, and
# replays the shipped sample capture through the default gateway policy, printing every
# verdict as a table. (Once the live daemon lands this becomes `icmpgate demo`.)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$ICMPGATE_ROOT/.ci/install-deps.sh"
configure_and_build "$ICMPGATE_ROOT/build" -DICMPGATE_TESTS=OFF
"$ICMPGATE_ROOT/build/icmpgate" check "$ICMPGATE_ROOT/deploy/policies/default.json"
echo
exec "$ICMPGATE_ROOT/build/icmpgate" replay --format table \
  --policy "$ICMPGATE_ROOT/deploy/policies/default.json" \
  "$ICMPGATE_ROOT/deploy/samples/gateway-sample.pcap"
