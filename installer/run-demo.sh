#!/usr/bin/env bash
# Installs what is missing, builds Eventscope (release) and opens the window on the demo store,
# which it creates on first use in the user's data folder. Where there is no display, it
# renders a screenshot of the window instead and says where it wrote it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash installer/install-deps.sh
# Only what this script runs: the tests and the benchmark are run-tests.sh's to build.
cmake --preset release -DBUILD_TESTING=OFF >/dev/null
cmake --build --preset release --target eventscope eventscope-cli

bin=build/release/app
data="${XDG_DATA_HOME:-$HOME/.local/share}/Eventscope"
store="$data/demo.db"
if [ ! -f "$store" ]; then
  mkdir -p "$data"
  "$bin/eventscope-cli" demo "$store"
fi
"$bin/eventscope-cli" info "$store"

# The window opens on the demo's busiest user, replayed to the middle of its history, as
# File ▸ Open Demo Store does and the README's screenshot shows.
busiest=$("$bin/eventscope-cli" streams "$store" --filter user- --order events --limit 1)
stream=$(sed -E 's/.*"stream":"([^"]*)".*/\1/' <<<"$busiest")
first=$(sed -E 's/.*"first_version":([0-9]+).*/\1/' <<<"$busiest")
last=$(sed -E 's/.*"last_version":([0-9]+).*/\1/' <<<"$busiest")
middle=$((first + (last - first) / 2))
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin/eventscope" "$store" --stream "$stream" --at "$middle"
fi
shot="$data/eventscope-demo.png"
QT_QPA_PLATFORM=offscreen "$bin/eventscope" "$store" --stream "$stream" --at "$middle" \
  --screenshot "$shot" --size 1600x1000
echo "No display here: the window was rendered to $shot"
