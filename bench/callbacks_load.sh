#!/usr/bin/env bash
# Load-tests `esimgo callbacks listen`: verified, durably committed callbacks per second and the
# p99 acknowledgement time, on a real PostgreSQL this script starts itself and on the SQLite
# store (the one-machine baseline), measured in the same run.
#
#   ./bench/callbacks_load.sh [builddir=build] [seconds=60]
#
# 1. compiles the load generator bench/callbacks_load.cc (g++ -O2, OpenSSL) into
#    <builddir>/bench/callbacks_load when it is missing or older than its source;
# 2. starts a throwaway PostgreSQL 15 (scripts/pg-throwaway.sh: unix socket, fsync on, the
#    default synchronous_commit = on — every 2xx is a flushed commit);
# 3. for each store, PostgreSQL then SQLite: starts one receiver
#    (`callbacks listen --port 0 --require-signature --quiet`), warms it up for 3 s (reported
#    separately), then runs the generator for <seconds>: CONNECTIONS (64) keep-alive connections
#    in a closed loop, each POSTing ~380-byte Utilisation bodies signed with X-Signature-SHA256
#    (HMAC-SHA256, base64), DUP (0.2) of them redeliveries of a body already sent by any
#    connection; RATE=R paces the run at R requests/s instead and measures each latency from its
#    scheduled time (no coordinated omission);
# 4. stops the receiver (SIGTERM: drains) and checks the store: rows == distinct bodies that got
#    a 2xx (none lost) == "stored" answers (none doubled);
# 5. prints acks/s (2xx answers per second: stored + duplicate, every one verified and
#    committed), p50/p99/max ack latency, the mean batch size from /metrics, and the check.
#
# The receiver, PostgreSQL and the generator share the machine's cores; the load average is
# printed with the results. Exits 1 when the PostgreSQL receiver misses the issue's target
# (>= 5,000 acks/s and p99 <= 50 ms) or any check fails, unless BENCH_NO_FAIL=1.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
seconds=${2:-60}
connections=${CONNECTIONS:-64}
dup=${DUP:-0.2}
rate=${RATE:-0}
key=bench-callback-key
target_rate=5000
target_p99=50

die() {
  echo "callbacks_load.sh: $*" >&2
  exit 2
}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "seconds must be a positive integer, got '$seconds'"
cli="$build/cli/esimgo"
[ -x "$cli" ] || die "$cli not found: build the esimgo target first"
command -v g++ >/dev/null || die "g++ is not installed"
command -v python3 >/dev/null || die "python3 is not installed"
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$pgbin/psql" ] || die "no PostgreSQL 15 in $pgbin (scripts/install-deps.sh)"

gen="$build/bench/callbacks_load"
if [ ! -x "$gen" ] || [ "$root/bench/callbacks_load.cc" -nt "$gen" ]; then
  mkdir -p "$build/bench"
  g++ -O2 -std=c++20 -Wall -Wextra -o "$gen" "$root/bench/callbacks_load.cc" -lcrypto -lpthread
fi

tmp=$(mktemp -d /tmp/esimgo-cbload.XXXXXX)
# Its own short directory: the socket path must stay short, and as root the cluster is run by
# `postgres`, who cannot enter $tmp (0700).
pgdir=$(mktemp -d /tmp/pgcbXXXX)
receiver_pid=""
stop_receiver() {
  [ -n "$receiver_pid" ] || return 0
  kill -TERM "$receiver_pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$receiver_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$receiver_pid" 2>/dev/null || true
  wait "$receiver_pid" 2>/dev/null || true
  receiver_pid=""
}
cleanup() {
  stop_receiver
  "$root/scripts/pg-throwaway.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp" "$pgdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

conninfo=$("$root/scripts/pg-throwaway.sh" start "$pgdir")
# As root the cluster directory belongs to postgres; the SQLite store lives next to it.
sqlite_db="$tmp/sqlite/callbacks.db"
mkdir -p "$tmp/sqlite"

# field NAME LINE: the value of NAME=… in a generator RESULT line.
field() { grep -o "$1=[^ ]*" <<<"$2" | head -n 1 | cut -d= -f2; }

fail=0
declare -a rows_out
run_store() {  # run_store LABEL STORE COUNT_COMMAND
  local label=$1 store=$2 count_cmd=$3
  local log="$tmp/$label.err"
  "$cli" --api-key "$key" callbacks listen --port 0 --store "$store" --require-signature \
    --quiet --max-requests-per-client 4096 >"$tmp/$label.out" 2>"$log" &
  receiver_pid=$!
  local port=""
  for _ in $(seq 200); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$log" >&2; die "the $label receiver did not start"; }
  local warm run
  warm=$("$gen" --port "$port" --key "$key" --connections "$connections" --seconds 3 \
    --dup "$dup" --run-id "warm-$label" | grep '^RESULT')
  run=$("$gen" --port "$port" --key "$key" --connections "$connections" --seconds "$seconds" \
    --dup "$dup" --rate "$rate" --run-id "run-$label" | tee "$tmp/$label.gen" | grep '^RESULT')
  local metrics batch
  metrics=$(python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' \
    "http://127.0.0.1:$port/metrics")
  batch=$(awk '/^esimgo_store_batch_size_sum/ {s=$2} /^esimgo_store_batch_size_count/ {c=$2}
               END { if (c > 0) printf "%.1f", s / c; else print "-" }' <<<"$metrics")
  stop_receiver
  local rows expected stored
  rows=$(eval "$count_cmd")
  expected=$(($(field distinct_acked "$warm") + $(field distinct_acked "$run")))
  stored=$(($(field stored "$warm") + $(field stored "$run")))
  local check="ok"
  if [ "$rows" != "$expected" ] || [ "$rows" != "$stored" ]; then
    check="MISMATCH rows=$rows acked-distinct=$expected stored-answers=$stored"
    fail=1
  fi
  printf '%-10s %9s %8s %8s %8s %9s %9s %7s %7s  %s\n' "$label" \
    "$(field throughput_ok "$run")" "$(field p50_ms "$run")" "$(field p99_ms "$run")" \
    "$(field max_ms "$run")" "$(field requests "$run")" "$(field duplicate "$run")" \
    "$(($(field unavailable "$run") + $(field other "$run") + $(field errors "$run")))" \
    "$batch" "$check"
  grep '^FIRST_ERROR' "$tmp/$label.gen" || true
  rows_out+=("$label $(field throughput_ok "$run") $(field p99_ms "$run")")
  printf '%-10s warm-up (3 s, not counted above): %s acks/s, p99 %s ms\n' "$label" \
    "$(field throughput_ok "$warm")" \
    "$(field p99_ms "$warm")" >>"$tmp/warm.txt"
}

echo "callbacks_load: ${seconds}s per store, $connections connections, ${dup} redeliveries, rate ${rate/#0/closed loop}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
printf '%-10s %9s %8s %8s %8s %9s %9s %7s %7s  %s\n' store "acks/s" "p50 ms" "p99 ms" "max ms" \
  requests "dup 2xx" "non-2xx" "batch" "rows == acked distinct == stored answers"
run_store postgres "$conninfo" \
  "'$pgbin/psql' '$conninfo' -Atc 'SELECT count(*) FROM esimgo.callback_events'"
run_store sqlite "$sqlite_db" \
  "python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM callback_events\").fetchone()[0])' '$sqlite_db'"
cat "$tmp/warm.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

read -r _ pg_rate pg_p99 <<<"${rows_out[0]}"
read -r _ sq_rate _ <<<"${rows_out[1]}"
awk -v p="$pg_rate" -v s="$sq_rate" 'BEGIN { if (s > 0) printf "postgres/sqlite throughput: %.2fx\n", p / s }'
if awk -v r="$pg_rate" -v q="$pg_p99" -v tr="$target_rate" -v tq="$target_p99" \
  'BEGIN { exit !(r >= tr && q <= tq) }'; then
  echo "target (PostgreSQL >= $target_rate acks/s, p99 <= $target_p99 ms): met"
else
  echo "target (PostgreSQL >= $target_rate acks/s, p99 <= $target_p99 ms): NOT met"
  fail=1
fi
if [ "$fail" = 1 ] && [ "${BENCH_NO_FAIL:-0}" != 1 ]; then exit 1; fi
exit 0
