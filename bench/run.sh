#!/usr/bin/env bash
# Runs the benchmarks of a build configured with -DESIMGO_BUILD_BENCH=ON and prints a summary.
#
#   ./bench/run.sh <builddir> [min_seconds]      (make bench does: ./bench/run.sh build-bench)
#
# 1. renders every bundle of sandbox/data/bundles.csv as one live-shaped GET /catalogue
#    response (bench/gen_catalogue.py) into <builddir>/bench/catalogue.json;
# 2. times the SDK's typed decode of it into esimgo::CataloguePage (catalogue_decode);
# 3. times Node's untyped JSON.parse of the same bytes (bench/node_parse.js);
# 4. prints both, and the ratio against the issue's bar (typed decode ≥ 3× JSON.parse).
# Exits 1 if the ratio is below the bar (set BENCH_NO_FAIL=1 to only report).
set -euo pipefail
build=${1:?usage: bench/run.sh <builddir> [min_seconds]}
seconds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bar=3

decoder="$build/bench/catalogue_decode"
[ -x "$decoder" ] || { echo "run.sh: $decoder not built (configure with -DESIMGO_BUILD_BENCH=ON)" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node is not installed (needed for the baseline)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run.sh: python3 is not installed (needed to render the data)" >&2; exit 2; }

data="$build/bench/catalogue.json"
python3 "$root/bench/gen_catalogue.py" "$root/sandbox/data/bundles.csv" \
  "$root/sandbox/data/networks.csv" >"$data"

get() { sed -n "s/^$1=//p" <<<"$2"; }

cpp=$("$decoder" "$data" "$seconds")
node_out=$(node "$root/bench/node_parse.js" "$data" "$seconds")

bytes=$(get bytes "$cpp")
cpp_bundles=$(get bundles "$cpp")
node_bundles=$(get bundles "$node_out")
if [ "$cpp_bundles" != "$node_bundles" ]; then
  echo "run.sh: the decoders disagree: C++ read $cpp_bundles bundles, Node $node_bundles" >&2
  exit 1
fi
cpp_mbs=$(get mb_per_s "$cpp")
node_mbs=$(get mb_per_s "$node_out")
ratio=$(awk -v a="$cpp_mbs" -v b="$node_mbs" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" -v bar="$bar" 'BEGIN { print (r >= bar) ? "meets" : "BELOW" }')

echo
echo "catalogue decode: $cpp_bundles bundles, $(get countries "$cpp") country objects, $bytes bytes"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(node --version)"
echo
printf '%-44s %6s %10s %10s %10s\n' "decoder" "runs" "min ms" "mean ms" "MB/s"
printf '%-44s %6s %10s %10s %10s\n' "C++ typed DecodeBody<CataloguePage>" \
  "$(get runs "$cpp")" "$(get min_ms "$cpp")" "$(get mean_ms "$cpp")" "$cpp_mbs"
printf '%-44s %6s %10s %10s %10s\n' "Node JSON.parse (untyped)" \
  "$(get runs "$node_out")" "$(get min_ms "$node_out")" "$(get mean_ms "$node_out")" "$node_mbs"
echo
echo "ratio (C++ typed / Node untyped, min-of-N): ${ratio}x — $verdict the ${bar}x bar"
if [ "$verdict" != "meets" ] && [ "${BENCH_NO_FAIL:-0}" != "1" ]; then
  exit 1
fi
