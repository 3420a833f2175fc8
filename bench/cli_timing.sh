#!/usr/bin/env bash
# Times the CLI's start-up and one API call with hyperfine.
#
#   ./bench/cli_timing.sh [builddir=build] [runs=20]
#
# Starts `esimgo-sandbox --port 0 --rate-limit 0` (in memory), then runs hyperfine
# (--warmup 3, --shell=none, so no shell start-up is counted) on:
#   esimgo --version
#   esimgo --base-url <sandbox>/v2.4 --api-key sandbox-key --output json catalogue show esim_1GB_7D_GB_V2
# and prints hyperfine's markdown table. Set CLI_TIMING_MD=FILE to keep the table in FILE.
# The sandbox is stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
runs=${2:-20}
key=sandbox-key

die() {
  echo "cli_timing.sh: $*" >&2
  exit 2
}

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "runs must be a positive integer, got '$runs'"
cli="$build/cli/esimgo"
sandbox_bin="$build/sandbox/esimgo-sandbox"
[ -x "$cli" ] || die "$cli not found: build the esimgo target first"
[ -x "$sandbox_bin" ] || die "$sandbox_bin not found: build the esimgo-sandbox target first"
command -v hyperfine >/dev/null || die "hyperfine is not installed (scripts/install-deps.sh)"

tmp=$(mktemp -d)
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ] && kill -TERM "$sandbox_pid" 2>/dev/null; then
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$sandbox_bin" --port 0 --rate-limit 0 --api-key "$key" >"$tmp/sandbox.out" 2>"$tmp/sandbox.err" &
sandbox_pid=$!
url=""
for _ in $(seq 100); do
  url=$(head -n1 "$tmp/sandbox.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || die "the sandbox exited: $(cat "$tmp/sandbox.err")"
  sleep 0.1
done
[ -n "$url" ] || die "the sandbox printed no base URL within 10 s"

show=("$cli" --base-url "$url" --api-key "$key" --output json catalogue show esim_1GB_7D_GB_V2)
# Check the call works (and answers the bundle) before timing it.
"${show[@]}" | grep -q '"esim_1GB_7D_GB_V2"' || die "'esimgo catalogue show' did not answer the bundle"

md=${CLI_TIMING_MD:-$tmp/cli_timing.md}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
hyperfine --shell=none --warmup 3 --runs "$runs" --export-markdown "$md" \
  -n 'esimgo --version' "$cli --version" \
  -n 'esimgo catalogue show (sandbox)' "${show[*]}"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo
cat "$md"
