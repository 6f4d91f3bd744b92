#!/usr/bin/env bash
# Validates the desktop file and the AppStream metainfo the way distributions and software
# centres do, and checks that they and the program agree on the application id and version.
# Usage: test-metadata.sh SOURCE_DIR APP_ID VERSION
set -euo pipefail
src=$1 app_id=$2 version=$3
desktop=$src/installer/linux/$app_id.desktop
metainfo=$src/installer/linux/$app_id.metainfo.xml
fail() { echo "test-metadata: $*" >&2; exit 1; }

# desktop-file-validate exits 0 on warnings and hints; they should not be there either.
report=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $report"
[ -z "$report" ] || fail "desktop-file-validate: $report"
# No network here: the screenshot URL is checked for its form, not fetched. --strict fails on
# warnings and infos too; only pedantic hints pass.
appstreamcli validate --no-net --strict "$metainfo" || fail "appstreamcli validate failed"

grep -qx "Icon=$app_id" "$desktop" || fail "the desktop file's Icon is not $app_id"
grep -q "<id>$app_id</id>" "$metainfo" || fail "the metainfo's id is not $app_id"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
  fail "the metainfo does not launch $app_id.desktop"
grep -q "setDesktopFileName(u\"$app_id\"_s)" "$src/app/gui/main.cpp" ||
  fail "the window does not call itself $app_id"
# The newest release comes first; it should be the version being built.
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | cut -d'"' -f2)
[ "$newest" = "$version" ] || fail "the metainfo's newest release is $newest, the project is $version"
echo "test-metadata: desktop file and metainfo valid and consistent"
