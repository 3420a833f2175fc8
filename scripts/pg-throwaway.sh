#!/bin/sh
# A throwaway PostgreSQL 15 cluster for benchmarks, the tour and manual tests (the shell twin
# of tests/callbacks/pg_harness.h). Unix socket only (no port is opened), trust auth, user
# `esimgo`. initdb refuses to run as root, so as root the cluster belongs to `postgres`.
#
#   scripts/pg-throwaway.sh start DIR [--fsync=off]   # prints the conninfo on stdout
#   scripts/pg-throwaway.sh stop DIR                  # stops and deletes DIR
#   scripts/pg-throwaway.sh crash DIR                 # pg_ctl -m immediate stop (keeps DIR)
#   scripts/pg-throwaway.sh restart DIR               # starts a stopped/crashed cluster again
#
# DIR should be short (the socket path must stay under 107 bytes), e.g. $(mktemp -d /tmp/pgXXXX).
# fsync stays on by default: durability measurements and crash tests need it.
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|crash|restart DIR [--fsync=off]" >&2
  exit 2
fi
if [ ! -x "$PGBIN/initdb" ]; then
  echo "$0: no PostgreSQL 15 server in $PGBIN; install postgresql-15 (scripts/install-deps.sh)" >&2
  exit 1
fi
AS=""
if [ "$(id -u)" = 0 ]; then AS="runuser -u postgres --"; fi

pg_start() {
  $AS "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -p 5432 $fsync_opt" start >/dev/null
}

case "$cmd" in
  start)
    fsync_opt=""
    [ "${3:-}" = "--fsync=off" ] && fsync_opt="-c fsync=off"
    mkdir -p "$dir"
    [ -n "$AS" ] && chown postgres: "$dir"
    $AS "$PGBIN/initdb" -D "$dir/data" -A trust -U esimgo --no-sync -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$fsync_opt" >"$dir/options"
    pg_start || { cat "$dir/log" >&2; exit 1; }
    echo "host=$dir port=5432 user=esimgo dbname=postgres"
    ;;
  restart)
    fsync_opt=$(cat "$dir/options" 2>/dev/null || true)
    pg_start || { cat "$dir/log" >&2; exit 1; }
    ;;
  crash)
    $AS "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      $AS "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|crash|restart DIR [--fsync=off]" >&2
    exit 2
    ;;
esac
