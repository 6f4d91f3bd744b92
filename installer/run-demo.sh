#!/usr/bin/env bash
# Installs what is missing, builds Eventscope (release) and runs it on the demo store, which
# it creates on first use in the user's data folder.
set -euo pipefail
cd "$(dirname "$0")/.."

bash installer/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

cli=build/release/app/eventscope-cli
store="${XDG_DATA_HOME:-$HOME/.local/share}/Eventscope/demo.db"
if [ ! -f "$store" ]; then
  mkdir -p "$(dirname "$store")"
  "$cli" demo "$store"
fi
echo "Demo store: $store"
"$cli" info "$store"
