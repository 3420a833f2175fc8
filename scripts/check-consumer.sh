#!/usr/bin/env bash
# Builds what a user builds against an installed esimgo, and runs it:
#   1. examples/consumer with find_package(esimgo) (esimgo::sdk and the test kit esimgo::sandbox);
#   2. examples/consumer/main.cc with nothing but `pkg-config --cflags --libs esimgo`;
#   3. every example in examples/, standalone (cmake -S examples), each program run once against
#      its in-process sandbox (no API key: nothing is bought, no network beyond loopback).
#
# Usage: scripts/check-consumer.sh <builddir>     install <builddir> into a scratch prefix first
#        scripts/check-consumer.sh --system       use what the Debian packages installed in /usr
#        scripts/check-consumer.sh --debs <dir>   unpack the .debs in <dir> into a scratch root
#                                                 (the packages' files, without root or dpkg)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "--system" ]; then
  prefix=/usr
  echo "check-consumer: the installed packages (/usr)"
elif [ "${1:-}" = "--debs" ]; then
  for deb in "${2:?--debs needs a directory}"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  prefix=$work/root/usr
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "check-consumer: the files of $2/*.deb, unpacked"
else
  build=${1:-build}
  prefix=$work/prefix
  cmake --install "$build" --prefix "$prefix" >/dev/null
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "check-consumer: cmake --install $build into a scratch prefix"
fi
# The examples talk to the live API when these are set; here they must use their sandbox.
unset ESIMGO_API_KEY ESIMGO_BASE_URL ESIMGO_API_VERSION

step() { printf '\n== check-consumer: %s\n' "$*"; }

step "find_package(esimgo)"
cmake -S examples/consumer -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer"
"$work/consumer/consumer"
"$work/consumer/sandbox_kit"
"$work/consumer/callbacks_store"
# esimgo::sdk is the shared library when the install has one (a check that it really is).
if ls "$prefix"/lib*/libesimgo.so* "$prefix"/lib/*/libesimgo.so* >/dev/null 2>&1; then
  ldd "$work/consumer/consumer" | grep -q 'libesimgo\.so' ||
    { echo "check-consumer: consumer does not link libesimgo.so" >&2; exit 1; }
fi

step "pkg-config --cflags --libs esimgo ($(pkg-config --modversion esimgo))"
# shellcheck disable=SC2046  # the flags are words
c++ -std=c++20 -o "$work/consumer-pc" examples/consumer/main.cc $(pkg-config --cflags --libs esimgo)
"$work/consumer-pc"

# The copy the dev package ships (/usr/share/doc/libesimgo-dev/examples), so that what users
# copy is what was proven; the source tree's when the install has none.
examples="$prefix/share/doc/libesimgo-dev/examples"
[ -f "$examples/CMakeLists.txt" ] || examples=$src/examples
step "every example in $examples, standalone"
cmake -S "$examples" -B "$work/examples" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/examples"
ran=0
while IFS= read -r program; do
  name=$(basename "$program")
  mkdir -p "$work/run/$name"
  echo "-- $name"
  # Each runs in its own scratch directory (catalogue_sync's database, sell_esim's QR PNG).
  (cd "$work/run/$name" && timeout 180 "$program") ||
    { echo "check-consumer: example $name failed" >&2; exit 1; }
  ran=$((ran + 1))
done < <(find "$work/examples" -maxdepth 1 -type f -perm -u+x | sort)
[ "$ran" -gt 0 ] || { echo "check-consumer: no example was built" >&2; exit 1; }
echo "check-consumer: ok ($ran examples ran)"
