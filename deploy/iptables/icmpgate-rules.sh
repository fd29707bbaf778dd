#!/usr/bin/env bash
# icmpgate-rules.sh: steer ICMP and ICMPv6 (and nothing else) into icmpgate's NFQUEUE queues with
# iptables/ip6tables (the nf_tables variant, 1.8.x). All rules live in chains of their own
# (ICMPGATE-FWD, ICMPGATE-IN), reached by one jump at the top of FORWARD / INPUT, so that
# uninstall removes exactly what install added. Both are idempotent. See docs/deployment.md.
set -euo pipefail

readonly kProgram=${0##*/}
readonly kExitOk=0 kExitError=1 kExitUsage=2 kExitNotInstalled=3
readonly kChainPrefix=ICMPGATE
readonly kTables=(security mangle)    # every table install may use; uninstall searches all
# IPv6 link-scope control messages never queued on INPUT: MLD query/report/done (130-132),
# router and neighbour discovery (133-136), MLDv2 report (143). They keep the gateway's own
# IPv6 working even when the queue fails closed. Redirect (137) stays queued: a router must not
# act on it (RFC 4861 section 8), and the policy decides and logs it.
readonly kIcmpv6LinkControlTypes=(130 131 132 133 134 135 136 143)

usage() {
  cat <<EOF
usage: $kProgram [options] install|uninstall|status

  install     create/refresh the ICMPGATE-* chains and the jumps to them (atomic per table)
  uninstall   remove the jumps and the ICMPGATE-* chains (from every table), nothing else
  status      show the installed rules, their counters and the queues' listeners
              (exit 0 installed, 3 not installed, 1 partly installed)

options (install; uninstall and status accept them too):
  --queues N[:M]          queue number or range; must match 'icmpgate run --queue' (default 0:1)
  --chains LIST           forward, input or forward,input (default forward)
  --table security|mangle where the chains live (default security: after your filter table,
                          like nft 'priority filter + 10'; mangle: before it)
  --fail-closed           no --queue-bypass: ICMP is dropped while no daemon is bound
  --cpu-fanout            --queue-cpu-fanout (choose the queue by CPU; needs a range)
  --prelimit RATE/BURST   kernel-side limit in packets per second in front of the queue,
                          or 'none' (default none)
  --prelimit-per all|source  one bucket for all ICMP (default) or one per source address
  --over-limit drop|skip  packets over the pre-limit: drop them (default), or skip icmpgate
                          (return to the rest of the ruleset without inspection)
  --family 4|6|both       IPv4, IPv6 or both (default both)
  -h, --help              this text
EOF
}

die_usage() { echo "$kProgram: $*" >&2; echo "try '$kProgram --help'" >&2; exit "$kExitUsage"; }
die() { echo "$kProgram: $*" >&2; exit "$kExitError"; }

queues="0:1"
chains="forward"
table="security"
fail_closed=false
cpu_fanout=false
prelimit="none"
prelimit_per="all"
over_limit="drop"
family="both"
action=""

while (($# > 0)); do
  case "$1" in
    --queues) queues=${2:?}; shift 2 ;;
    --queues=*) queues=${1#*=}; shift ;;
    --chains) chains=${2:?}; shift 2 ;;
    --chains=*) chains=${1#*=}; shift ;;
    --table) table=${2:?}; shift 2 ;;
    --table=*) table=${1#*=}; shift ;;
    --fail-closed) fail_closed=true; shift ;;
    --cpu-fanout) cpu_fanout=true; shift ;;
    --prelimit) prelimit=${2:?}; shift 2 ;;
    --prelimit=*) prelimit=${1#*=}; shift ;;
    --prelimit-per) prelimit_per=${2:?}; shift 2 ;;
    --prelimit-per=*) prelimit_per=${1#*=}; shift ;;
    --over-limit) over_limit=${2:?}; shift 2 ;;
    --over-limit=*) over_limit=${1#*=}; shift ;;
    --family) family=${2:?}; shift 2 ;;
    --family=*) family=${1#*=}; shift ;;
    -h|--help) usage; exit "$kExitOk" ;;
    install|uninstall|status) [[ -z "$action" ]] || die_usage "only one action"; action=$1; shift ;;
    *) die_usage "unknown argument '$1'" ;;
  esac
done
[[ -n "$action" ]] || die_usage "missing action (install, uninstall or status)"

# --- validation -------------------------------------------------------------------------------
readonly kMaxQueue=65535
if [[ "$queues" =~ ^([0-9]+)(:([0-9]+))?$ ]]; then
  first_queue=$((10#${BASH_REMATCH[1]}))
  last_queue=$((10#${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}))
  ((first_queue <= last_queue && last_queue <= kMaxQueue)) || die_usage "--queues: need N <= M <= $kMaxQueue, got '$queues'"
else
  die_usage "--queues: expected N or N:M, got '$queues'"
fi
if [[ $cpu_fanout == true ]] && ((first_queue == last_queue)); then
  die_usage "--cpu-fanout needs a queue range N:M with N < M"
fi

want_forward=false want_input=false
IFS=',' read -r -a chain_list <<<"$chains"
for c in "${chain_list[@]}"; do
  case "$c" in
    forward) want_forward=true ;;
    input) want_input=true ;;
    *) die_usage "--chains: expected forward, input or forward,input, got '$chains'" ;;
  esac
done

case "$table" in security|mangle) ;; *) die_usage "--table: expected security or mangle, got '$table'" ;; esac
case "$prelimit_per" in all|source) ;; *) die_usage "--prelimit-per: expected all or source" ;; esac
case "$over_limit" in drop|skip) ;; *) die_usage "--over-limit: expected drop or skip" ;; esac
if [[ "$prelimit" != none ]]; then
  [[ "$prelimit" =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] || die_usage "--prelimit: expected RATE/BURST (packets/s, packets) or none, got '$prelimit'"
  prelimit_rate=${BASH_REMATCH[1]}
  prelimit_burst=${BASH_REMATCH[2]}
fi

families=()
case "$family" in
  4) families=(4) ;;
  6) families=(6) ;;
  both) families=(4 6) ;;
  *) die_usage "--family: expected 4, 6 or both, got '$family'" ;;
esac

# --- per-family vocabulary ----------------------------------------------------------------------
tool_for() { if [[ $1 == 4 ]]; then echo "${IPTABLES:-iptables}"; else echo "${IP6TABLES:-ip6tables}"; fi; }
proto_for() { if [[ $1 == 4 ]]; then echo icmp; else echo ipv6-icmp; fi; }
nft_family_for() { if [[ $1 == 4 ]]; then echo ip; else echo ip6; fi; }
hook_for() { if [[ $1 == forward ]]; then echo FORWARD; else echo INPUT; fi; }
chain_for() { if [[ $1 == forward ]]; then echo "$kChainPrefix-FWD"; else echo "$kChainPrefix-IN"; fi; }
# hashlimit names are per family (/proc/net/ipt_hashlimit, ip6t_hashlimit), so one per hook suffices.
limiter_name_for() { if [[ $1 == forward ]]; then echo icmpgate-fwd; else echo icmpgate-in; fi; }

selected_hooks() {
  if [[ $want_forward == true ]]; then echo forward; fi
  if [[ $want_input == true ]]; then echo input; fi
}

# The whole current ruleset of one family, tables that do not exist left out (iptables-save
# without -t prints only existing tables; with -t it invents an empty one).
save_all() { "$(tool_for "$1")-save" 2>/dev/null; }

# table_of_rules FAMILY TABLE: the "-A"/":" lines of one table, from a full save.
table_lines() {
  local fam=$1 tbl=$2
  save_all "$fam" | awk -v t="*$tbl" '$0 == t { on = 1; next } on && $0 == "COMMIT" { on = 0 } on'
}

chain_exists() { table_lines "$1" "$2" | grep -qx ":$3 - \[[0-9]*:[0-9]*\]"; }
# Number of jumps HOOK -> CHAIN, and whether the first rule of HOOK is that jump.
jump_count() { table_lines "$1" "$2" | grep -cx -- "-A $3 -j $4" || true; }
jump_is_first() { [[ "$(table_lines "$1" "$2" | grep -- "^-A $3 " | head -n 1)" == "-A $3 -j $4" ]]; }

queue_target() {
  local target="-j NFQUEUE"
  if ((first_queue == last_queue)); then
    target+=" --queue-num $first_queue"
  else
    target+=" --queue-balance $first_queue:$last_queue"
  fi
  [[ $fail_closed == true ]] || target+=" --queue-bypass"
  [[ $cpu_fanout == false ]] || target+=" --queue-cpu-fanout"
  echo "$target"
}

# The rules of one ICMPGATE chain, in iptables-restore syntax, in the order the kernel walks them.
chain_rules() {
  local fam=$1 hook=$2 chain proto
  chain=$(chain_for "$hook")
  proto=$(proto_for "$fam")
  if [[ $fam == 6 && $hook == input ]]; then
    local t
    for t in "${kIcmpv6LinkControlTypes[@]}"; do
      echo "-A $chain -p $proto -m icmp6 --icmpv6-type $t -j RETURN"
    done
  fi
  if [[ "$prelimit" != none ]]; then
    local mode="" verdict=DROP
    [[ $prelimit_per == all ]] || mode=" --hashlimit-mode srcip"
    [[ $over_limit == drop ]] || verdict=RETURN
    echo "-A $chain -p $proto -m hashlimit --hashlimit-above $prelimit_rate/sec --hashlimit-burst $prelimit_burst$mode --hashlimit-name $(limiter_name_for "$hook") -j $verdict"
  fi
  echo "-A $chain -p $proto $(queue_target)"
}

# --- install --------------------------------------------------------------------------------------
install_family() {
  local fam=$1 tool hook chain hook_chain count i script
  tool=$(tool_for "$fam")
  # A chain left in the other table by an earlier install with another --table would also queue:
  # remove it first so exactly one copy exists.
  local other
  for other in "${kTables[@]}"; do
    [[ $other != "$table" ]] || continue
    uninstall_table "$fam" "$other"
  done
  script="*$table"$'\n'
  for hook in $(selected_hooks); do
    # Declaring a chain in --noflush mode creates it, or empties it if it exists.
    script+=":$(chain_for "$hook") - [0:0]"$'\n'
  done
  for hook in $(selected_hooks); do
    script+="$(chain_rules "$fam" "$hook")"$'\n'
  done
  for hook in $(selected_hooks); do
    chain=$(chain_for "$hook")
    hook_chain=$(hook_for "$hook")
    if ! jump_is_first "$fam" "$table" "$hook_chain" "$chain" || (($(jump_count "$fam" "$table" "$hook_chain" "$chain") != 1)); then
      # Move (or add) the jump to the top in the same transaction: no moment without it.
      count=$(jump_count "$fam" "$table" "$hook_chain" "$chain")
      for ((i = 0; i < count; i++)); do script+="-D $hook_chain -j $chain"$'\n'; done
      script+="-I $hook_chain 1 -j $chain"$'\n'
    fi
  done
  # Hooks not selected this time: a chain installed earlier for them goes away.
  for hook in forward input; do
    if ! selected_hooks | grep -qx "$hook"; then
      script+="$(removal_lines "$fam" "$table" "$hook"; echo .)"
      script=${script%.}
    fi
  done
  script+="COMMIT"$'\n'
  printf '%s' "$script" | "$tool-restore" -w --noflush || die "$tool-restore rejected the rules for table $table"
  for hook in forward input; do
    selected_hooks | grep -qx "$hook" || drop_hook_if_noop "$fam" "$table" "$(hook_for "$hook")"
  done
}

# removal_lines FAMILY TABLE HOOK: restore lines that delete the jumps and the chain, if present.
removal_lines() {
  local fam=$1 tbl=$2 hook=$3 chain hook_chain count i
  chain=$(chain_for "$hook")
  hook_chain=$(hook_for "$hook")
  count=$(jump_count "$fam" "$tbl" "$hook_chain" "$chain")
  for ((i = 0; i < count; i++)); do printf '%s\n' "-D $hook_chain -j $chain"; done
  if chain_exists "$fam" "$tbl" "$chain"; then
    printf '%s\n' "-F $chain" "-X $chain"
  fi
}

# --- uninstall ------------------------------------------------------------------------------------
uninstall_table() {
  local fam=$1 tbl=$2 tool lines
  tool=$(tool_for "$fam")
  save_all "$fam" | grep -qx "\*$tbl" || return 0
  lines="$(removal_lines "$fam" "$tbl" forward; removal_lines "$fam" "$tbl" input)"
  [[ -n "$lines" ]] || return 0
  printf '*%s\n%s\nCOMMIT\n' "$tbl" "$lines" | "$tool-restore" -w --noflush || die "$tool-restore could not remove the rules from table $tbl"
  drop_hook_if_noop "$fam" "$tbl" FORWARD
  drop_hook_if_noop "$fam" "$tbl" INPUT
  drop_table_if_noop "$fam" "$tbl"
}

# iptables-nft creates a base chain on first use. One left with no rules and policy ACCEPT does
# nothing but cost a hook call: delete it (iptables-nft can; iptables-legacy cannot, and need not).
drop_hook_if_noop() {
  local fam=$1 tbl=$2 hook_chain=$3 lines
  lines=$(table_lines "$fam" "$tbl")
  grep -q -- "^-A $hook_chain " <<<"$lines" && return 0
  grep -q "^:$hook_chain ACCEPT " <<<"$lines" || return 0
  "$(tool_for "$fam")" -w -t "$tbl" -X "$hook_chain" >/dev/null 2>&1 || true
}

# iptables-nft creates a table on first use and cannot delete one. If the table is now a no-op
# (base chains with policy accept and no rules, nothing else), delete it with nft so that
# uninstall leaves the ruleset as it found it. Anything else in the table keeps it.
drop_table_if_noop() {
  local nft_family listing leftover
  nft_family=$(nft_family_for "$1")
  command -v nft >/dev/null 2>&1 || return 0
  listing=$(nft list table "$nft_family" "$2" 2>/dev/null) || return 0
  leftover=$(printf '%s\n' "$listing" | grep -vE '^\s*$|^\s*(table [a-z0-9]+|chain) [^ ]+ \{$|^\s*\}$|^\s*type filter hook [a-z]+ priority [-+a-z0-9 ]+; policy accept;$|^\s*#' || true)
  [[ -n "$leftover" ]] || nft delete table "$nft_family" "$2" 2>/dev/null || true
}

# --- status ---------------------------------------------------------------------------------------
status_family() {
  local fam=$1 tool tbl hook chain found=0 expected=0 hook_chain
  tool=$(tool_for "$fam")
  for hook in $(selected_hooks); do
    expected=$((expected + 1))
    chain=$(chain_for "$hook")
    hook_chain=$(hook_for "$hook")
    for tbl in "${kTables[@]}"; do
      if chain_exists "$fam" "$tbl" "$chain" && (($(jump_count "$fam" "$tbl" "$hook_chain" "$chain") > 0)); then
        found=$((found + 1))
        local where="first rule of $hook_chain"
        jump_is_first "$fam" "$tbl" "$hook_chain" "$chain" || where="NOT first in $hook_chain: earlier rules decide before icmpgate"
        echo "IPv$fam $tbl $chain: installed ($where)"
        "$tool" -w -t "$tbl" -L "$chain" -v -n -x | sed 's/^/    /'
      fi
    done
    if ! table_lines "$fam" security | grep -q "^:$chain " && ! table_lines "$fam" mangle | grep -q "^:$chain "; then
      echo "IPv$fam $chain: not installed"
    fi
  done
  if ((found == expected)); then return 0; elif ((found == 0)); then return "$kExitNotInstalled"; else return "$kExitError"; fi
}

print_queue_listeners() {
  local proc=/proc/net/netfilter/nfnetlink_queue queue_rules when_unbound q line
  # What the kernel does while no daemon listens depends on the installed rules, not on options.
  queue_rules=$(for fam in "${families[@]}"; do save_all "$fam"; done | grep -E "^-A $kChainPrefix-[A-Z]+ .*-j NFQUEUE" || true)
  if [[ -z "$queue_rules" ]]; then
    when_unbound="no icmpgate rules installed"
  elif grep -qv -- '--queue-bypass' <<<"$queue_rules"; then
    when_unbound="fail-closed rules DROP ICMP"
  else
    when_unbound="bypass rules accept ICMP uninspected"
  fi
  echo "queues $first_queue..$last_queue ($proc: queue, listener port id, waiting, copy mode, copy range, dropped when full, dropped by netlink, last id, 1):"
  for ((q = first_queue; q <= last_queue; q++)); do
    line=$(awk -v q="$q" '$1 == q' "$proc" 2>/dev/null || true)
    if [[ -n "$line" ]]; then echo "    $line"; else echo "    $q: no daemon bound ($when_unbound)"; fi
  done
}

# --- main -----------------------------------------------------------------------------------------
for fam in "${families[@]}"; do
  command -v "$(tool_for "$fam")" >/dev/null 2>&1 || die "$(tool_for "$fam") not found (Debian: apt-get install iptables)"
  command -v "$(tool_for "$fam")-restore" >/dev/null 2>&1 || die "$(tool_for "$fam")-restore not found"
done
if [[ $action != status && $(id -u) -ne 0 ]]; then die "$action needs root (CAP_NET_ADMIN)"; fi

case "$action" in
  install)
    for fam in "${families[@]}"; do install_family "$fam"; done
    ;;
  uninstall)
    for fam in "${families[@]}"; do
      for tbl in "${kTables[@]}"; do uninstall_table "$fam" "$tbl"; done
    done
    ;;
  status)
    installed=0 missing=0
    for fam in "${families[@]}"; do
      r=0
      status_family "$fam" || r=$?
      case $r in 0) installed=$((installed + 1)) ;; "$kExitNotInstalled") missing=$((missing + 1)) ;; *) missing=$((missing + 1)); installed=$((installed + 1)) ;; esac
    done
    if ((missing == 0)); then rc=$kExitOk; elif ((installed == 0)); then rc=$kExitNotInstalled; else rc=$kExitError; fi
    print_queue_listeners
    exit "$rc"
    ;;
esac
