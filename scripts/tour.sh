#!/usr/bin/env bash
# A short tour of esimgo on the embedded sandbox (no account, no network):
# search the catalogue, validate and place an order, show install details with a QR code,
# simulate usage, show the bundle status, revoke and refund, receive signed callbacks (also with
# two receivers behind one throwaway PostgreSQL, read back with `callbacks tail`), and
# suspend/unsuspend an eSIM on API v2.5.
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

step "Usage callbacks: a served sandbox signs them (V3); callbacks listen verifies and stores them"
# The embedded sandbox lives only as long as one command, so this step serves one in the
# background, points its callbacks at a local receiver, and drives it with --base-url.
pids=()
cleanup_bg() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap 'cleanup_bg; rm -rf "$tmp"' EXIT
wait_for() {  # wait_for FILE PATTERN: up to 10 s for PATTERN to appear in FILE
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "tour: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1
}
printf '%s$ esimgo callbacks listen --port 0 --require-signature --store callbacks.db &%s\n' "$dim" "$off"
"$cli" --api-key sandbox-key -o json callbacks listen --port 0 --require-signature \
  --store "$tmp/callbacks.db" >"$tmp/events.jsonl" 2>"$tmp/listen.err" &
pids+=($!)
wait_for "$tmp/listen.err" "listening on http://"
cb_url=$(grep -o 'http://[^ ]*' "$tmp/listen.err" | head -n 1)
printf '%s$ esimgo sandbox serve --port 0 --callback-url %s --callback-version 3 &%s\n' "$dim" "$cb_url" "$off"
"$cli" sandbox serve --port 0 --db "$tmp/served.db" --api-key sandbox-key \
  --callback-url "$cb_url" --callback-version 3 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pids+=($!)
wait_for "$tmp/serve.out" "^http://"
served=$(head -n 1 "$tmp/serve.out")
remote() { "$cli" --base-url "$served" --api-key sandbox-key "$@"; }
ref2=$(remote -o json orders create "$bundle" --assign --yes | field order_reference)
iccid2=$(remote -o json esims install "$ref2" 2>/dev/null | field iccid)
printf '%s$ esimgo --base-url %s sandbox usage %s --percent 85%s\n' "$dim" "$served" "$iccid2" "$off"
remote -o table sandbox usage "$iccid2" --percent 85
wait_for "$tmp/events.jsonl" "Utilisation"
sleep 1  # let the remaining thresholds of the same usage arrive
echo "Received, signature verified, stored once (JSON lines from callbacks listen):"
cat "$tmp/events.jsonl"

step "API v2.5 on the same sandbox (/v2.5): suspend the eSIM, see its state, unsuspend it"
# The served sandbox answers both versions on one state; the version is the URL's last segment.
served25="${served%/v2.4}/v2.5"
run25() {
  printf '%s$ esimgo --base-url %s %s%s\n' "$dim" "$served25" "$*" "$off"
  "$cli" --base-url "$served25" --api-key sandbox-key "$@"
}
run25 -o table esims suspend "$iccid2" --yes
run25 -o table esims suspension "$iccid2"
run25 -o table esims show "$iccid2"
run25 -o table esims unsuspend "$iccid2" --yes
run25 -o table esims show "$iccid2"
cleanup_bg
pids=()

step "Two receivers behind one database (a throwaway PostgreSQL), then callbacks tail"
# Several receivers on one PostgreSQL store each callback once, whichever receiver gets it and
# however often it is delivered; `callbacks tail` reads the stored stream back. Skipped when
# the PostgreSQL 15 server is not installed (scripts/install-deps.sh installs it).
pg_throwaway="$(dirname "$0")/pg-throwaway.sh"
if [ -x "${PGBIN:-/usr/lib/postgresql/15/bin}/initdb" ] && command -v curl >/dev/null &&
  command -v openssl >/dev/null; then
  pgdir=$(mktemp -d /tmp/pgtourXXXX)
  trap 'cleanup_bg; "$pg_throwaway" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$tmp" "$pgdir"' EXIT
  printf '%s$ scripts/pg-throwaway.sh start DIR   # initdb + pg_ctl in a temp dir, unix socket only%s\n' "$dim" "$off"
  db=$("$pg_throwaway" start "$pgdir" --fsync=off)
  for r in a b; do
    printf '%s$ esimgo callbacks listen --port 0 --store "%s" --require-signature &%s\n' "$dim" "$db" "$off"
    "$cli" --api-key sandbox-key -o json callbacks listen --port 0 --store "$db" \
      --require-signature >"$tmp/$r.jsonl" 2>"$tmp/$r.err" &
    pids+=($!)
    wait_for "$tmp/$r.err" "listening on http://"
  done
  url_a=$(grep -o 'http://[^ ]*' "$tmp/a.err" | head -n 1)
  url_b=$(grep -o 'http://[^ ]*' "$tmp/b.err" | head -n 1)
  # What eSIM Go does: sign the raw body with the API key (HMAC-SHA256, base64) and POST it.
  send() {  # send URL BODY
    local sig
    sig=$(printf '%s' "$2" | openssl dgst -sha256 -hmac sandbox-key -binary | base64)
    printf '%s$ curl -d '"'"'%s'"'"' -H "X-Signature-SHA256: %s" %s%s\n' "$dim" "$2" "$sig" "$1" "$off"
    curl -s -H "X-Signature-SHA256: $sig" -H 'Content-Type: application/json' -d "$2" "$1"
    echo
  }
  cc='{"alertType":"CountryChange","iccid":"'"$iccid2"'","country":{"code":"FR","name":"France"}}'
  echo "The same callback delivered to receiver A, then redelivered to receiver B: one row."
  send "$url_a" "$cc"
  send "$url_b" "$cc"
  send "$url_b" '{"alertType":"CountryChange","iccid":"'"$iccid2"'","country":{"code":"ES","name":"Spain"}}'
  printf '%s$ esimgo callbacks tail --store "%s" -o table%s\n' "$dim" "$db" "$off"
  "$cli" -o table callbacks tail --store "$db"
  printf '%s$ curl %s   # a receiver'"'"'s readiness (the load balancer'"'"'s probe)%s\n' "$dim" "${url_a%/callback}/readyz" "$off"
  curl -s "${url_a%/callback}/readyz"
  echo
  cleanup_bg
  pids=()
  "$pg_throwaway" stop "$pgdir" >/dev/null 2>&1 || true
else
  echo "(skipped: needs the PostgreSQL 15 server, curl and openssl)"
fi

step "The balance after the tour"
run -o table organisation show

printf '\n%sDone.%s Every command above works against the live API with ESIMGO_API_KEY set\n' "$bold" "$off"
printf '(see docs/cli.md); without a key they use the embedded sandbox in ~/.local/state/esimgo.\n'
