#!/usr/bin/env bash
# The event store alone, PostgreSQL and SQLite in the same run (issue 11): a throwaway
# PostgreSQL 15 cluster (fsync on, synchronous_commit on) and a SQLite file (WAL,
# synchronous=FULL), each with group commit and with one transaction per callback.
#
#   bench/callbacks_store.sh <builddir> [seconds=10] [clients=64] [dup_percent=20]
#
# Each line of output is key=value; the first block is the library's default configuration.
set -euo pipefail
build=${1:?usage: bench/callbacks_store.sh <builddir> [seconds] [clients] [dup_percent]}
seconds=${2:-10}
clients=${3:-64}
dup=${4:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/bench/callbacks_store_bench"
[ -x "$bin" ] || { echo "$bin not built (configure with -DESIMGO_BUILD_BENCH=ON)" >&2; exit 2; }

pgdir=$(mktemp -d /tmp/pgbXXXX)
work=$(mktemp -d /tmp/esimgo-storebench.XXXX)
trap '"$root/scripts/pg-throwaway.sh" stop "$pgdir"; rm -rf "$work"' EXIT
conn=$("$root/scripts/pg-throwaway.sh" start "$pgdir")

n=0
run() {  # label target max_batch connections
  n=$((n + 1))
  local target=$2
  # A fresh database/file per run, so runs do not see each other's dedupe rows.
  if [[ $target == host=* ]]; then
    psql -q "$conn" -c "CREATE DATABASE b$n" >/dev/null
    target="${conn/dbname=postgres/dbname=b$n}"
  else
    target="$work/b$n.db"
  fi
  echo "== $1"
  "$bin" "$target" "$seconds" "$clients" "$dup" "$3" "$4"
}
run "PostgreSQL, group commit (<=128/txn, the default)" "$conn" 128 1
run "PostgreSQL, group commit (<=64/txn)" "$conn" 64 1
run "PostgreSQL, group commit (<=128/txn), 2 writer connections" "$conn" 128 2
run "PostgreSQL, one transaction per callback" "$conn" 1 1
run "SQLite, group commit (<=128/txn, the default)" "$work/x.db" 128 1
run "SQLite, one transaction per callback" "$work/x.db" 1 1
