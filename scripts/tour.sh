#!/usr/bin/env bash
# A short tour of esimgo on the embedded sandbox (no account, no network):
# search the catalogue, validate and place an order, show install details with a QR code,
# simulate usage, show the bundle status, revoke and refund.
# Usage: scripts/tour.sh <builddir>
set -euo pipefail

build=${1:-build}
cli="$build/cli/esimgo"
if [ ! -x "$cli" ]; then
  echo "tour: $cli not found; build first (make build)" >&2
  exit 1
fi

# A fresh, throw-away sandbox state: the tour never touches ~/.local/state or the live API.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/esimgo-tour.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
unset ESIMGO_API_KEY ESIMGO_BASE_URL ESIMGO_OUTPUT

if [ -t 1 ]; then bold=$'\033[1m'; dim=$'\033[2m'; off=$'\033[0m'; else bold=; dim=; off=; fi
n=0
step() {
  n=$((n + 1))
  printf '\n%s== %d. %s ==%s\n' "$bold" "$n" "$1" "$off"
}
run() {
  printf '%s$ esimgo %s%s\n' "$dim" "$*" "$off"
  "$cli" --sandbox "$@"
}
# Quiet helper for values the tour needs (JSON field by name, first match).
field() { grep -o "\"$1\": *\"[^\"]*\"" | head -n 1 | sed 's/.*: *"\(.*\)"/\1/'; }

printf '%sesimgo tour%s: every command runs on the embedded sandbox (--sandbox), with its state in\n' "$bold" "$off"
printf 'a temporary directory. No account, no network, no real money.\n'

step "Search the catalogue: 1 GB bundles for the United Kingdom"
run -o table catalogue list --countries GB --description 1GB --per-page 5
bundle=$("$cli" --sandbox -o csv catalogue list --countries GB --description 1GB --per-page 5 2>/dev/null |
  awk -F, 'NR > 1 && !first { first = $1 } NR > 1 && $1 ~ /_GB_/ { print $1; found = 1; exit }
           END { if (!found) print first }')
[ -n "$bundle" ] || { echo "tour: no GB bundle found" >&2; exit 1; }

step "Details of $bundle"
run -o table catalogue show "$bundle"

step "The organisation's balance"
run -o table organisation show

step "Validate an order (nothing is charged)"
run -o table orders create "$bundle" --assign --validate

step "Place the order (--yes confirms; on a terminal without it, esimgo asks)"
printf '%s$ esimgo orders create %s --assign --yes%s\n' "$dim" "$bundle" "$off"
ref=$("$cli" --sandbox -o json orders create "$bundle" --assign --yes | field order_reference)
[ -n "$ref" ] || { echo "tour: the order failed" >&2; exit 1; }
run -o table orders show "$ref"

step "Install details with the QR code of the activation string (drawn locally)"
run -o table esims install "$ref" --qr
iccid=$("$cli" --sandbox -o json esims install "$ref" 2>/dev/null | field iccid)

step "Simulate usage: the eSIM uses 36 % of its data in France"
run -o table sandbox usage "$iccid" --percent 36 --country FR

step "Bundle status"
run -o table bundles list "$iccid"

step "Where the eSIM is, and its history"
run -o table esims location "$iccid"
run -o table esims history "$iccid"

step "Buy a second bundle into inventory and apply it to the same eSIM (queued)"
run -o table orders create "$bundle" --yes
run -o table esims apply "$bundle" --iccid "$iccid"

step "Revoke the unused bundle (validated first, then revoked back to inventory)"
run -o table bundles revoke "$iccid" "$bundle" --yes
run -o table bundles list "$iccid" --include-used

step "Refund one bundle from inventory to the balance"
run -o table inventory list
lot=$("$cli" --sandbox -o json inventory list 2>/dev/null | field id)
run -o table inventory refund "$lot" --yes

step "The balance after the tour"
run -o table organisation show

printf '\n%sDone.%s Every command above works against the live API with ESIMGO_API_KEY set\n' "$bold" "$off"
printf '(see docs/cli.md); without a key they use the embedded sandbox in ~/.local/state/esimgo.\n'
