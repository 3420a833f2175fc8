#!/bin/sh
# The CLI must not need libpq to start (docs/adr/0008): esimgo::callbacks dlopens it on the first
# PostgreSQL open. Checks the executable given and every shared object beside it (a CLI module
# the executable loads itself), transitively, with ldd.
set -u
cli="$1"
[ -x "$cli" ] || { echo "not an executable: $cli" >&2; exit 2; }
status=0
for f in "$cli" "$(dirname "$cli")"/*.so; do
  [ -f "$f" ] || continue
  # ldd must have worked (it lists libc for anything dynamically linked), or an empty grep
  # below would prove nothing.
  deps=$(ldd "$f") || { echo "ldd failed on $f" >&2; exit 2; }
  echo "$deps" | grep -q 'libc\.so' || { echo "ldd listed no libc for $f" >&2; exit 2; }
  if echo "$deps" | grep libpq; then
    echo "FAIL: $f maps libpq at start" >&2
    status=1
  else
    echo "ok: $f ($(echo "$deps" | wc -l) libraries, no libpq)"
  fi
done
exit $status
