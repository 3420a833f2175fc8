#!/usr/bin/env bash
# The README's main job.
#  - Without ESIMGO_API_KEY: the full tour on the embedded sandbox (order, install, usage,
#    callbacks, revoke, refund) — no account, no network, no money.
#  - With ESIMGO_API_KEY: read-only calls against the live API (or ESIMGO_BASE_URL). Nothing that
#    moves money runs against a real account from here.
set -euo pipefail
build=${1:-build}
cli="$build/cli/esimgo"
if [ -z "${ESIMGO_API_KEY:-}" ]; then
  exec ./scripts/tour.sh "$build"
fi
echo "ESIMGO_API_KEY is set: read-only calls against ${ESIMGO_BASE_URL:-https://api.esim-go.com/v2.4}"
"$cli" -o table organisation show
"$cli" -o table catalogue list --countries GB --per-page 10
"$cli" -o table esims list --per-page 10
