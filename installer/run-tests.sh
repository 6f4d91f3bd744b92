#!/usr/bin/env bash
# Installs what is missing, builds Eventscope (Debug, with address and undefined-behaviour
# sanitizers) and runs the whole test suite. GUI tests run offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."

bash installer/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)"
