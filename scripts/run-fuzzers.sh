#!/usr/bin/env bash
# Runs every fuzzer of a fuzz build for a few seconds each (seeded from tests/data).
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-20}
status=0
for f in "$build"/fuzz/*_fuzzer; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  corpus=$(mktemp -d)
  cp tests/data/*.json tests/data/*.csv "$corpus"/ 2>/dev/null || true
  echo "== $name (${seconds}s)"
  if ! "$f" -max_total_time="$seconds" -max_len=65536 -print_final_stats=0 "$corpus" >"$corpus/log" 2>&1; then
    tail -50 "$corpus/log"
    status=1
  else
    grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$corpus/log" | tail -1 || true
  fi
  rm -rf "$corpus"
done
exit $status
