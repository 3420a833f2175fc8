#!/usr/bin/env bash
# Times the CLI's start-up and one API call with hyperfine, against `curl --version` measured in
# the same run (issue 12: esimgo --version in at most half of curl's time, the embedded-sandbox
# `catalogue show` in at most curl's time; docs/adr/0008-fast-cli-start.md).
#
#   ./bench/cli_timing.sh [builddir=build] [runs=20]
#
# Starts `esimgo-sandbox --port 0 --rate-limit 0` (in memory), then runs hyperfine
# (--warmup 3, --shell=none, so no shell start-up is counted) on:
#   curl --version
#   esimgo --version
#   esimgo --output json catalogue show esim_1GB_7D_GB_V2   (embedded sandbox: no key, fresh
#                                                           HOME and XDG dirs)
#   esimgo --base-url <sandbox>/v2.4 --api-key sandbox-key --output json catalogue show esim_1GB_7D_GB_V2
# prints how many libraries the launcher and the CLI module load (ldd), hyperfine's markdown
# table and the two ratios against curl (means; medians, minimums and CPU time beside them,
# which a loaded machine disturbs less). Set
# CLI_TIMING_MD=FILE to keep the table in FILE, CLI_TIMING_STRICT=1 to exit 1 when a target is
# missed. The sandbox and the temporary HOME are removed on exit.
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
command -v curl >/dev/null || die "curl is not installed (the baseline: apt-get install curl)"
command -v python3 >/dev/null || die "python3 is not installed (it computes the ratios)"

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

# The embedded sandbox: no key, no base URL, a HOME and XDG dirs of our own (its state file is
# created by the check below, so every timed run opens an existing one, as a user's would).
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/home/state" XDG_CONFIG_HOME="$tmp/home/config"
unset ESIMGO_API_KEY ESIMGO_BASE_URL ESIMGO_API_VERSION
mkdir -p "$HOME"
embedded=("$cli" --output json catalogue show esim_1GB_7D_GB_V2)
"${embedded[@]}" 2>/dev/null | grep -q '"esim_1GB_7D_GB_V2"' ||
  die "'esimgo catalogue show' on the embedded sandbox did not answer the bundle"
[ -f "$XDG_STATE_HOME/esimgo/sandbox.db" ] || die "the embedded sandbox kept no state file"

md=${CLI_TIMING_MD:-$tmp/cli_timing.md}
json="$tmp/cli_timing.json"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
# What each start maps (ADR 0008, decision 4): the launcher alone for `--version`, the CLI
# module's libraries for every command.
module="$build/cli/esimgo-cli.so"
echo "esimgo (launcher): $(ldd "$cli" | grep -c '=>') libraries by ldd;" \
  "esimgo-cli.so (every command): $( [ -f "$module" ] && ldd "$module" | grep -c '=>' || echo 'no module')"
hyperfine --shell=none --warmup 3 --runs "$runs" --export-markdown "$md" --export-json "$json" \
  -n 'curl --version' "curl --version" \
  -n 'esimgo --version' "$cli --version" \
  -n 'esimgo catalogue show (embedded sandbox)' "${embedded[*]}" \
  -n 'esimgo catalogue show (sandbox over HTTP)' "${show[*]}"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo
cat "$md"
echo
ratios=0
python3 - "$json" <<'PY' || ratios=$?
import json, statistics, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
curl = results["curl --version"]
missed = 0
for name, target in (("esimgo --version", 0.5), ("esimgo catalogue show (embedded sandbox)", 1.0)):
    r = results[name]
    ratio = r["mean"] / curl["mean"]
    median = statistics.median(r["times"]) / statistics.median(curl["times"])
    ok = ratio <= target
    missed += not ok
    # CPU time (user + system) is what the program costs; under load the wall time is mostly
    # waiting for a core, so it is printed beside the target's wall-time ratio.
    cpu = (r["user"] + r["system"]) / (curl["user"] + curl["system"])
    print(f"ratio: {name} / curl --version = {ratio:.2f} (means; medians {median:.2f}, "
          f"minimums {min(r['times']) / min(curl['times']):.2f}, CPU time {cpu:.2f}); "
          f"target <= {target:g}: {'met' if ok else 'MISSED'}")
sys.exit(1 if missed else 0)
PY
if [ "$ratios" -ne 0 ] && [ "${CLI_TIMING_STRICT:-0}" = 1 ]; then exit 1; fi
