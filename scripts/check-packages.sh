#!/usr/bin/env bash
# Checks the Debian packages that `make package` wrote into <builddir>/packages:
#   - lintian: no errors (warnings are printed, not fatal);
#   - the three packages are there, with the files each must carry;
#   - libesimgo.so: the SONAME of project()'s version, and only the public API exported
#     (every dynamic symbol is in esimgo::, none in esimgo::internal, none mentions simdjson);
#   - esimgo(1) names every command `esimgo --help` lists.
# Usage: scripts/check-packages.sh [builddir]
set -euo pipefail
build=${1:-build}
dir="$build/packages"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-packages: $*" >&2; exit 1; }

shopt -s nullglob
debs=("$dir"/*.deb)
[ ${#debs[@]} -gt 0 ] || fail "no .deb in $dir (make package first)"
lib=("$dir"/libesimgo[0-9]*.deb)
dev=("$dir"/libesimgo-dev_*.deb)
cli=("$dir"/esimgo_*.deb)
[ ${#lib[@]} -eq 1 ] && [ ${#dev[@]} -eq 1 ] && [ ${#cli[@]} -eq 1 ] ||
  fail "expected one each of libesimgo<SOVERSION>, libesimgo-dev, esimgo in $dir"

echo "== lintian"
# lintian exits non-zero on errors; the output is kept for the summary either way.
lintian --tag-display-limit 0 "${debs[@]}" >"$work/lintian" 2>&1 || true
cat "$work/lintian"
if grep -q '^E: ' "$work/lintian"; then fail "lintian reports errors"; fi
echo "lintian: $(grep -c '^W: ' "$work/lintian" || true) warnings, no errors"

echo "== contents"
has() { dpkg-deb -c "$1" | awk '{print $6}' | grep -qE "$2" || fail "$(basename "$1") has no $2"; }
has "${lib[0]}" '/libesimgo\.so\.[0-9.]+$'
has "${lib[0]}" '/usr/share/doc/libesimgo[0-9.]+/copyright$'
has "${dev[0]}" '/usr/include/esimgo/client\.h$'
has "${dev[0]}" '/usr/include/esimgo/version\.h$'
has "${dev[0]}" '/usr/include/esimgo/sandbox/sandbox\.h$'
has "${dev[0]}" '/libesimgo\.a$'
has "${dev[0]}" '/libesimgo_sandbox\.a$'
has "${dev[0]}" '/libesimgo_callbacks\.a$'
has "${dev[0]}" '/esimgo/callbacks/store\.h$'
has "${dev[0]}" '/libesimgo\.so$'
has "${dev[0]}" '/cmake/esimgo/esimgoConfig\.cmake$'
has "${dev[0]}" '/pkgconfig/esimgo\.pc$'
has "${dev[0]}" '/usr/share/doc/libesimgo-dev/examples/CMakeLists\.txt$'
has "${cli[0]}" '/usr/bin/esimgo$'
has "${cli[0]}" '/usr/bin/esimgo-sandbox$'
has "${cli[0]}" '/usr/lib/esimgo/esimgo-cli\.so$'
has "${cli[0]}" '/usr/share/man/man1/esimgo\.1\.gz$'
has "${cli[0]}" '/usr/share/bash-completion/completions/esimgo$'
has "${cli[0]}" '/usr/share/zsh/site-functions/_esimgo$'
for d in "${debs[@]}"; do
  echo "$(basename "$d"): $(dpkg-deb -f "$d" Depends)"
done

echo "== libesimgo.so: SONAME and exports"
dpkg-deb -x "${lib[0]}" "$work/lib"
so=$(find "$work/lib" -name 'libesimgo.so.*.*.*' -type f | head -1)
version=$(dpkg-deb -f "${dev[0]}" Version)
version=${version%-*}
major=${version%%.*}
minor=${version#*.}
minor=${minor%%.*}
if [ "$major" = 0 ]; then want="libesimgo.so.0.$minor"; else want="libesimgo.so.$major"; fi
soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[ "$soname" = "$want" ] || fail "SONAME is '$soname', want '$want' for version $version"
nm -DC --defined-only "$so" | awk '$2 != "A"' | sed -E 's/^[0-9a-f]+ [A-Za-z] //; s/@.*$//' >"$work/exports"
n=$(wc -l <"$work/exports")
[ "$n" -gt 50 ] || fail "only $n symbols exported"
grep -vE '^((typeinfo( name)?|vtable|VTT|guard variable) for |(non-)?virtual thunk to )?esimgo::' \
  "$work/exports" >"$work/foreign" && { head "$work/foreign"; fail "symbols outside esimgo:: exported"; }
grep -E '::(internal|detail)::|simdjson::|\{lambda|anonymous namespace' "$work/exports" >"$work/leaks" &&
  { head "$work/leaks"; fail "internal symbols exported"; }
echo "$soname: $n symbols exported, all public API"

echo "== esimgo(1) covers every command"
dpkg-deb -x "${cli[0]}" "$work/cli"
esimgo="$work/cli/usr/bin/esimgo"
man=$(zcat "$work/cli/usr/share/man/man1/esimgo.1.gz" | sed 's/\\-/-/g')
subcommands() { "$esimgo" "$@" --help | awk '/^Subcommands:/{f=1;next} f && NF {print $1}' | tr -d ,; }
for cmd in $(subcommands); do
  line=$(grep -E "^\.B $cmd( |$)" <<<"$man" | sed "s/^\.B $cmd//" | tr '\n' ' ') ||
    fail "esimgo(1) does not describe the command '$cmd' (packaging/esimgo.1)"
  # A missing subcommand is reported, not fatal: the page lists them, --help details them.
  for sub in $(subcommands "$cmd"); do
    grep -qE "[ |]$sub( |$)" <<<"$line" ||
      echo "check-packages: warning: esimgo(1) does not list '$cmd $sub' (packaging/esimgo.1)"
  done
done
echo "check-packages: ok"
