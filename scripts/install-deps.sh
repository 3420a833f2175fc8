#!/usr/bin/env bash
# Installs every Debian 12 package the build, tests, fuzzers and benches need.
# Idempotent: packages already present are skipped, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format clang-tidy
  libcurl4-openssl-dev libssl-dev libsimdjson-dev nlohmann-json3-dev libexpected-dev
  libcpp-httplib-dev libsqlite3-dev libcli11-dev libfmt-dev libqrencode-dev libpng-dev
  libzip-dev zipcmp zipmerge ziptool
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm wrk hyperfine unzip python3 python3-jsonschema python3-yaml curl ca-certificates
  libpq-dev postgresql-15
  doxygen lintian dpkg-dev fakeroot file
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node may come from outside apt (nvm, a distro image); only ask apt for it when it is absent.
if command -v node >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
