#!/usr/bin/env bash
# Installs every build and test dependency of Eventscope from Debian 12 packages.
# Idempotent: packages already present are skipped, and apt is not touched at all when
# nothing is missing.
set -euo pipefail

# dpkg-dev (dpkg-shlibdeps) and file are what CPack uses to compute the .deb's dependencies;
# desktop-file-utils and appstream validate the desktop file and the metainfo.
# postgresql provides the server programs the tests start throwaway clusters with (runuser,
# for running them as nobody when the tests run as root, is in util-linux); libpq-dev is for
# linking libpq directly (PQcancel).
# clang-14 and libclang-rt-14-dev (its sanitizer and libFuzzer runtimes, which clang only
# recommends) build the fuzz targets; Debian's libfuzzer-14-dev is the same libFuzzer as a
# separate archive for other compilers, which clang's -fsanitize=fuzzer does not need.
# qt6-charts-dev needs libqt6opengl6-dev and libxkbcommon-dev for its CMake package but does
# not depend on them in Debian 12.
packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev
  libqt6sql6-sqlite libqt6sql6-psql libqt6svg6
  libqt6opengl6-dev libgl-dev libvulkan-dev libxkbcommon-dev
  libsqlite3-dev sqlite3 libsimdjson-dev zlib1g-dev
  postgresql postgresql-client libpq-dev
  fonts-dejavu-core
  clang-14 libclang-rt-14-dev
  dpkg-dev file desktop-file-utils appstream
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
