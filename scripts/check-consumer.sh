#!/usr/bin/env bash
# Proves `cmake --install` exports esimgo::sdk and esimgo::sandbox: installs into a scratch
# prefix and builds examples/consumer, a separate project that only does find_package(esimgo),
# then runs both of its programs (the second starts an in-process sandbox on port 0).
set -euo pipefail
build=${1:-build}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S examples/consumer -B "$prefix/consumer-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/consumer-build"
"$prefix/consumer-build/consumer"
"$prefix/consumer-build/sandbox_kit"
