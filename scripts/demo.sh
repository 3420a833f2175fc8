#!/usr/bin/env bash
# The README's main job. Until the CLI tour lands it prints the catalogue with the example
# program (from the live API when ESIMGO_API_KEY is set, else from the spec's example).
set -euo pipefail
build=${1:-build}
if [ -x "$build/cli/esimgo" ] && [ -f scripts/tour.sh ]; then
  exec ./scripts/tour.sh "$build"
fi
exec "$build/examples/print_catalogue"
