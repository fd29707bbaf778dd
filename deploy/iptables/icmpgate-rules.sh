#!/usr/bin/env bash
# icmpgate-rules.sh: steer ICMP and ICMPv6 (and nothing else) into icmpgate's NFQUEUE queues with
# iptables/ip6tables (the nf_tables variant, 1.8.x). All rules live in chains of their own, each
# reached by one jump at the top of a built-in chain, so that uninstall removes exactly what
# install added. Both are idempotent. See docs/deployment.md, "The rules" and "Placement".
#
# Two placements, because of connection tracking:
#   - ICMP queries (echo, timestamp, information and address mask requests; ICMPv6 echo request
#     and node information query) are the only ICMP messages that open a conntrack entry. Queued
#     after conntrack, several packets of one new flow each carry an unconfirmed entry of their
#     own, and once the first is confirmed the kernel drops the others (ICMP does not allow a
#     clash: nf_ct_resolve_clash). So queries are queued in the raw table's PREROUTING
#     (ICMPGATE-PRE, ICMPGATE-QRY, ICMPGATE-QIN), before conntrack, and told apart by
#     destination: the gateway's own addresses, broadcast and multicast are traffic to the
#     gateway (QIN), the rest is transit.
#   - Everything else (errors, replies) creates no conntrack entry and is queued where it always
#     was: FORWARD and INPUT (ICMPGATE-FWD, ICMPGATE-IN), after the admin's filter, with NAT
#     already undone, so records show inside addresses and out_interface is known.
set -euo pipefail

readonly kProgram=${0##*/}
readonly kExitOk=0 kExitError=1 kExitUsage=2 kExitNotInstalled=3
readonly kChainPrefix=ICMPGATE
readonly kTables=(raw security mangle)    # every table install may use; uninstall searches all
readonly kRawTable=raw
readonly kPreChain=$kChainPrefix-PRE       # raw PREROUTING: picks out the queries
readonly kQueryChain=$kChainPrefix-QRY     # raw: queues transit queries, sends the others on
readonly kQueryInChain=$kChainPrefix-QIN   # raw: queues queries to the gateway (--chains input)
# The ICMP types that open a conntrack entry (nf_conntrack_proto_icmp.c and
# nf_conntrack_proto_icmpv6.c, valid_new): queued in raw, skipped on FORWARD/INPUT.
readonly kIcmpQueryTypes=(8 13 15 17)
readonly kIcmpv6QueryTypes=(128 139)
# IPv6 link-scope control messages never queued on INPUT: MLD query/report/done (130-132),
# router and neighbour discovery (133-136), MLDv2 report (143). They keep the gateway's own
# IPv6 working even when the queue fails closed. Redirect (137) stays queued: a router must not
# act on it (RFC 4861 section 8), and the policy decides and logs it.
readonly kIcmpv6LinkControlTypes=(130 131 132 133 134 135 136 143)

usage() {
  cat <<EOF
usage: $kProgram [options] install|uninstall|status

  install     create/refresh the ICMPGATE-* chains and the jumps to them, then check that
              every selected chain is in place (exit 1 if not)
  uninstall   remove the jumps and the ICMPGATE-* chains (from every table), nothing else
  status      show the installed rules, their counters and the queues' listeners
              (exit 0 installed, 3 not installed, 1 partly installed)

options (install; uninstall and status accept them too):
  --queues N[:M]          queue number or range; must match 'icmpgate run --queue' (default 0:1)
  --chains LIST           forward, input or forward,input (default forward)
  --table security|mangle where the FORWARD/INPUT chains live (default security: after your
                          filter table, like nft 'priority filter + 10'; mangle: before it).
                          ICMP queries are always queued in the raw table (before conntrack)
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
[[ $want_forward == true || $want_input == true ]] || die_usage "--chains: expected forward, input or forward,input, got '$chains'"

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
# Note on pipelines: under `set -o pipefail` a reader that stops early (grep -q, head) makes the
# writer die of SIGPIPE and the whole pipeline fail although the match was found. So nothing here
# pipes into an early-exiting reader: rulesets are captured in variables and searched with here
# strings, which have no writer process.
tool_for() { if [[ $1 == 4 ]]; then echo "${IPTABLES:-iptables}"; else echo "${IP6TABLES:-ip6tables}"; fi; }
proto_for() { if [[ $1 == 4 ]]; then echo icmp; else echo ipv6-icmp; fi; }
nft_family_for() { if [[ $1 == 4 ]]; then echo ip; else echo ip6; fi; }
hook_for() { if [[ $1 == forward ]]; then echo FORWARD; else echo INPUT; fi; }
chain_for() { if [[ $1 == forward ]]; then echo "$kChainPrefix-FWD"; else echo "$kChainPrefix-IN"; fi; }
# hashlimit names are per family (/proc/net/ipt_hashlimit, ip6t_hashlimit), so one per hook suffices.
# The raw chain's pre-limit rules use the same names and parameters, so a query and an error to the
# same hook draw on one bucket.
limiter_name_for() { if [[ $1 == forward ]]; then echo icmpgate-fwd; else echo icmpgate-in; fi; }
# The raw-table classification of a query by its destination as received: to the gateway = one of
# its own addresses, broadcast or multicast (IPv6: anycast too); transit = the rest. xt_addrtype
# ORs the types of one rule for IPv4; for IPv6 it requires MULTICAST (and UNICAST) of the address
# form, so multicast needs a rule of its own, and its UNICAST would include the gateway's own
# addresses. One --dst-type list per rule.
to_gateway_type_sets_for() { if [[ $1 == 4 ]]; then echo LOCAL,BROADCAST,MULTICAST; else echo LOCAL,ANYCAST MULTICAST; fi; }
query_types_for() { if [[ $1 == 4 ]]; then echo "${kIcmpQueryTypes[*]}"; else echo "${kIcmpv6QueryTypes[*]}"; fi; }
type_match_for() { if [[ $1 == 4 ]]; then echo "-m icmp --icmp-type"; else echo "-m icmp6 --icmpv6-type"; fi; }

hook_selected() {
  case "$1" in
    forward) [[ $want_forward == true ]] ;;
    input) [[ $want_input == true ]] ;;
    *) return 1 ;;
  esac
}
selected_hooks() {
  if [[ $want_forward == true ]]; then echo forward; fi
  if [[ $want_input == true ]]; then echo input; fi
}

# The whole current ruleset of one family, tables that do not exist left out (iptables-save
# without -t prints only existing tables; with -t it invents an empty one).
# A snapshot taken by take_snapshot FAMILY is used until forget_snapshot: one iptables-save per
# step instead of one per question (each save walks the whole ruleset).
declare -A snapshot=() snapshot_tables=()
save_all() {
  if [[ -n "${snapshot[$1]+set}" ]]; then printf '%s\n' "${snapshot[$1]}"; return; fi
  "$(tool_for "$1")-save" 2>/dev/null || true
}
take_snapshot() {
  local tbl
  snapshot[$1]=$("$(tool_for "$1")-save" 2>/dev/null || true)
  for tbl in "${kTables[@]}"; do snapshot_tables[$1:$tbl]=$(table_lines "$1" "$tbl" "${snapshot[$1]}"); done
}
forget_snapshot() {
  local tbl
  unset 'snapshot[$1]'
  for tbl in "${kTables[@]}"; do unset 'snapshot_tables[$1:$tbl]'; done
}

# table_lines FAMILY TABLE [SAVED]: the ":"/"-A" lines of one table, from a full save (taken now
# unless SAVED is given). awk reads all of its input, so the save never meets a closed pipe.
table_lines() {
  local fam=$1 tbl=$2 saved
  if (($# == 2)) && [[ -n "${snapshot_tables[$fam:$tbl]+set}" ]]; then
    printf '%s\n' "${snapshot_tables[$fam:$tbl]}"
    return
  fi
  if (($# > 2)); then saved=$3; else saved=$(save_all "$fam"); fi
  awk -v t="*$tbl" '$0 == t { on = 1; next } on && $0 == "COMMIT" { on = 0 } on' <<<"$saved"
}
table_exists() { local saved; saved=$(save_all "$1"); grep -qx "\*$2" <<<"$saved"; }
chain_exists() { local lines; lines=$(table_lines "$1" "$2"); grep -qx ":$3 - \[[0-9]*:[0-9]*\]" <<<"$lines"; }
# Number of jumps BUILTIN -> CHAIN, and whether the first rule of BUILTIN is that jump.
jump_count() { local lines; lines=$(table_lines "$1" "$2"); grep -cx -- "-A $3 -j $4" <<<"$lines" || true; }
jump_is_first() {
  local lines first
  lines=$(table_lines "$1" "$2")
  first=$(awk -v p="-A $3 " 'index($0, p) == 1 { print; exit }' <<<"$lines")
  [[ "$first" == "-A $3 -j $4" ]]
}
# Rules of CHAIN in TABLE that send to a queue.
queue_rule_count() { local lines; lines=$(table_lines "$1" "$2"); grep -c -- "^-A $3 .*-j NFQUEUE" <<<"$lines" || true; }

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

# prelimit_rule FAMILY CHAIN HOOK [MATCH]: the pre-limit rule for HOOK's bucket, if any.
prelimit_rule() {
  local fam=$1 chain=$2 hook=$3 match=${4:-}
  [[ "$prelimit" != none ]] || return 0
  local mode="" verdict=DROP
  [[ $prelimit_per == all ]] || mode=" --hashlimit-mode srcip"
  [[ $over_limit == drop ]] || verdict=RETURN
  echo "-A $chain -p $(proto_for "$fam")${match:+ $match} -m hashlimit --hashlimit-above $prelimit_rate/sec --hashlimit-burst $prelimit_burst$mode --hashlimit-name $(limiter_name_for "$hook") -j $verdict"
}

# The rules of one FORWARD/INPUT chain, in iptables-restore syntax, in the order the kernel walks them.
chain_rules() {
  local fam=$1 hook=$2 chain proto t
  chain=$(chain_for "$hook")
  proto=$(proto_for "$fam")
  # Queries were queued in raw PREROUTING already (see the header).
  for t in $(query_types_for "$fam"); do
    echo "-A $chain -p $proto $(type_match_for "$fam") $t -j RETURN"
  done
  if [[ $fam == 6 && $hook == input ]]; then
    for t in "${kIcmpv6LinkControlTypes[@]}"; do
      echo "-A $chain -p $proto -m icmp6 --icmpv6-type $t -j RETURN"
    done
  fi
  prelimit_rule "$fam" "$chain" "$hook"
  echo "-A $chain -p $proto $(queue_target)"
}

# The raw table's chains: PRE picks out the query types; QRY sends queries to the gateway to QIN
# (goto: a pre-limit "skip" there returns past QRY) or back, and queues the rest as transit.
raw_rules() {
  local fam=$1 proto t types
  proto=$(proto_for "$fam")
  for t in $(query_types_for "$fam"); do
    echo "-A $kPreChain -p $proto $(type_match_for "$fam") $t -j $kQueryChain"
  done
  for types in $(to_gateway_type_sets_for "$fam"); do
    if hook_selected input; then
      echo "-A $kQueryChain -m addrtype --dst-type $types -g $kQueryInChain"
    else
      echo "-A $kQueryChain -m addrtype --dst-type $types -j RETURN"
    fi
  done
  if hook_selected forward; then
    prelimit_rule "$fam" "$kQueryChain" forward
    echo "-A $kQueryChain -p $proto $(queue_target)"
  fi
  if hook_selected input; then
    prelimit_rule "$fam" "$kQueryInChain" input
    echo "-A $kQueryInChain -p $proto $(queue_target)"
  fi
}

# jump_lines FAMILY TABLE BUILTIN CHAIN: restore lines that make the jump BUILTIN -> CHAIN the
# single first rule of BUILTIN, or nothing when it already is.
jump_lines() {
  local fam=$1 tbl=$2 builtin=$3 chain=$4 count i
  count=$(jump_count "$fam" "$tbl" "$builtin" "$chain")
  if jump_is_first "$fam" "$tbl" "$builtin" "$chain" && ((count == 1)); then return 0; fi
  # Move (or add) the jump to the top in the same transaction: no moment without it.
  for ((i = 0; i < count; i++)); do printf '%s\n' "-D $builtin -j $chain"; done
  printf '%s\n' "-I $builtin 1 -j $chain"
}

# --- install --------------------------------------------------------------------------------------
install_family() {
  local fam=$1 tool hook script other
  tool=$(tool_for "$fam")
  # A chain left in the other table by an earlier install with another --table would also queue:
  # remove it first so exactly one copy exists.
  for other in security mangle; do
    [[ $other != "$table" ]] || continue
    uninstall_table "$fam" "$other"
  done
  take_snapshot "$fam"
  # raw first: while the two tables are replaced one after the other, a query may be inspected
  # twice (harmless), never not at all.
  script="*$kRawTable"$'\n'":$kPreChain - [0:0]"$'\n'":$kQueryChain - [0:0]"$'\n'
  if hook_selected input; then script+=":$kQueryInChain - [0:0]"$'\n'; fi
  script+="$(raw_rules "$fam")"$'\n'
  script+="$(jump_lines "$fam" "$kRawTable" PREROUTING "$kPreChain"; echo .)"
  script=${script%.}
  # Without input the QIN chain of an earlier install goes (nothing refers to it any more).
  if ! hook_selected input && chain_exists "$fam" "$kRawTable" "$kQueryInChain"; then
    script+="-F $kQueryInChain"$'\n'"-X $kQueryInChain"$'\n'
  fi
  script+="COMMIT"$'\n'"*$table"$'\n'
  for hook in $(selected_hooks); do
    # Declaring a chain in --noflush mode creates it, or empties it if it exists.
    script+=":$(chain_for "$hook") - [0:0]"$'\n'
  done
  for hook in $(selected_hooks); do
    script+="$(chain_rules "$fam" "$hook")"$'\n'
  done
  for hook in $(selected_hooks); do
    script+="$(jump_lines "$fam" "$table" "$(hook_for "$hook")" "$(chain_for "$hook")"; echo .)"
    script=${script%.}
  done
  # Hooks not selected this time: a chain installed earlier for them goes away.
  for hook in forward input; do
    if ! hook_selected "$hook"; then
      script+="$(removal_lines "$fam" "$table" "$hook"; echo .)"
      script=${script%.}
    fi
  done
  script+="COMMIT"$'\n'
  forget_snapshot "$fam"
  printf '%s' "$script" | "$tool-restore" -w --noflush || die "$tool-restore rejected the rules for tables $kRawTable and $table"
  for hook in forward input; do
    hook_selected "$hook" || drop_hook_if_noop "$fam" "$table" "$(hook_for "$hook")"
  done
}

# verify_family FAMILY: every selected chain exists, holds a queue rule and is the first rule of
# its built-in chain, exactly once. Prints what is missing; returns 1 if anything is.
verify_family() {
  local fam=$1 hook chain missing=0
  check_piece() { # TABLE BUILTIN CHAIN QUEUE_CHAIN
    if ! chain_exists "$fam" "$1" "$3" || ! chain_exists "$fam" "$1" "$4"; then
      echo "$kProgram: IPv$fam: chain $1 $3 is missing after install" >&2; missing=1
    elif ! jump_is_first "$fam" "$1" "$2" "$3" || (($(jump_count "$fam" "$1" "$2" "$3") != 1)); then
      echo "$kProgram: IPv$fam: the jump $1 $2 -> $3 is not the single first rule" >&2; missing=1
    elif [[ $4 != "$kPreChain" ]] && (($(queue_rule_count "$fam" "$1" "$4") != 1)); then
      echo "$kProgram: IPv$fam: chain $1 $4 has no queue rule" >&2; missing=1
    fi
  }
  take_snapshot "$fam"
  if hook_selected forward; then
    check_piece "$kRawTable" PREROUTING "$kPreChain" "$kQueryChain"
  else
    check_piece "$kRawTable" PREROUTING "$kPreChain" "$kPreChain"
  fi
  if hook_selected input && (($(queue_rule_count "$fam" "$kRawTable" "$kQueryInChain") != 1)); then
    echo "$kProgram: IPv$fam: chain $kRawTable $kQueryInChain has no queue rule" >&2; missing=1
  fi
  for hook in $(selected_hooks); do
    chain=$(chain_for "$hook")
    check_piece "$table" "$(hook_for "$hook")" "$chain" "$chain"
  done
  forget_snapshot "$fam"
  return "$missing"
}

# removal_lines FAMILY TABLE HOOK: restore lines that delete a FORWARD/INPUT jump and chain, if present.
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

# raw_removal_lines FAMILY: restore lines that delete the raw jumps and chains, if present
# (every chain flushed before any is deleted: PRE refers to QRY, QRY to QIN).
raw_removal_lines() {
  local fam=$1 count i chain
  count=$(jump_count "$fam" "$kRawTable" PREROUTING "$kPreChain")
  for ((i = 0; i < count; i++)); do printf '%s\n' "-D PREROUTING -j $kPreChain"; done
  for chain in "$kPreChain" "$kQueryChain" "$kQueryInChain"; do
    if chain_exists "$fam" "$kRawTable" "$chain"; then printf '%s\n' "-F $chain"; fi
  done
  for chain in "$kPreChain" "$kQueryChain" "$kQueryInChain"; do
    if chain_exists "$fam" "$kRawTable" "$chain"; then printf '%s\n' "-X $chain"; fi
  done
}

# --- uninstall ------------------------------------------------------------------------------------
uninstall_table() {
  local fam=$1 tbl=$2 tool lines
  tool=$(tool_for "$fam")
  take_snapshot "$fam"
  if ! table_exists "$fam" "$tbl"; then forget_snapshot "$fam"; return 0; fi
  if [[ $tbl == "$kRawTable" ]]; then
    lines=$(raw_removal_lines "$fam")
  else
    lines="$(removal_lines "$fam" "$tbl" forward; removal_lines "$fam" "$tbl" input)"
  fi
  forget_snapshot "$fam"
  [[ -n "$lines" ]] || return 0
  printf '*%s\n%s\nCOMMIT\n' "$tbl" "$lines" | "$tool-restore" -w --noflush || die "$tool-restore could not remove the rules from table $tbl"
  drop_hook_if_noop "$fam" "$tbl" FORWARD
  drop_hook_if_noop "$fam" "$tbl" INPUT
  drop_hook_if_noop "$fam" "$tbl" PREROUTING
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
  leftover=$(grep -vE '^\s*$|^\s*(table [a-z0-9]+|chain) [^ ]+ \{$|^\s*\}$|^\s*type filter hook [a-z]+ priority [-+a-z0-9 ]+; policy accept;$|^\s*#' <<<"$listing" || true)
  [[ -n "$leftover" ]] || nft delete table "$nft_family" "$2" 2>/dev/null || true
}

# --- status ---------------------------------------------------------------------------------------
# status_piece FAMILY BUILTIN CHAIN TABLES...: prints one chain's state; returns 0 if found.
status_piece() {
  local fam=$1 builtin=$2 chain=$3 tbl found=1 tool
  shift 3
  tool=$(tool_for "$fam")
  for tbl in "$@"; do
    if chain_exists "$fam" "$tbl" "$chain" && (($(jump_count "$fam" "$tbl" "$builtin" "$chain") > 0)); then
      found=0
      local where="first rule of $builtin"
      jump_is_first "$fam" "$tbl" "$builtin" "$chain" || where="NOT first in $builtin: earlier rules decide before icmpgate"
      echo "IPv$fam $tbl $chain: installed ($where)"
      "$tool" -w -t "$tbl" -L "$chain" -v -n -x | sed 's/^/    /'
    fi
  done
  if ((found != 0)); then echo "IPv$fam $chain: not installed"; fi
  return "$found"
}

status_family() {
  local fam=$1 hook found=0 expected=1
  take_snapshot "$fam"
  if status_piece "$fam" PREROUTING "$kPreChain" "$kRawTable" && chain_exists "$fam" "$kRawTable" "$kQueryChain"; then
    found=$((found + 1))
    local chain
    for chain in "$kQueryChain" "$kQueryInChain"; do
      chain_exists "$fam" "$kRawTable" "$chain" || continue
      echo "IPv$fam $kRawTable $chain: installed"
      "$(tool_for "$fam")" -w -t "$kRawTable" -L "$chain" -v -n -x | sed 's/^/    /'
    done
  fi
  for hook in $(selected_hooks); do
    expected=$((expected + 1))
    if status_piece "$fam" "$(hook_for "$hook")" "$(chain_for "$hook")" security mangle; then found=$((found + 1)); fi
  done
  if ((found == expected)); then return 0; elif ((found == 0)); then return "$kExitNotInstalled"; else return "$kExitError"; fi
}

print_queue_listeners() {
  local proc=/proc/net/netfilter/nfnetlink_queue queue_rules when_unbound q line saved="" fam
  # What the kernel does while no daemon listens depends on the installed rules, not on options.
  for fam in "${families[@]}"; do saved+=$(save_all "$fam")$'\n'; done
  queue_rules=$(grep -E "^-A $kChainPrefix-[A-Z]+ .*-j NFQUEUE" <<<"$saved" || true)
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
  echo "With fail-open (the daemon's default) and bypass rules, packets accepted uninspected because"
  echo "the queue or the daemon's socket was full, or no daemon was bound, are counted by no column"
  echo "above: compare the NFQUEUE rules' packet counters with the daemon's received packets"
  echo "(icmpgate_nfqueue_bypassed_total in its metrics; docs/operations.md, Bypassed packets)."
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
    # What was asked must be what is there: a missing chain would silently let ICMP through.
    verified=0
    for fam in "${families[@]}"; do verify_family "$fam" || verified=1; done
    ((verified == 0)) || die "install did not leave every selected chain in place (see above)"
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
