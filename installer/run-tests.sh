#!/usr/bin/env bash
# Installs what is missing, builds Eventscope as CI does (the ci preset: Debug, warnings as
# errors, address and undefined-behaviour sanitizers that halt on the first report) and runs
# the whole test suite. GUI tests run offscreen. Then builds the model's
# fuzz targets with clang (a second, small build) and fuzzes each for a few seconds from its
# seed corpus: a crash, a sanitizer report or a broken invariant fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash installer/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
ctest --preset fuzz -j "$(nproc)"
