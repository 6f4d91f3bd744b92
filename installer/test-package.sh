#!/usr/bin/env bash
# Builds the packages from a finished build, unpacks the .deb into a temporary folder (nothing
# is installed on this machine) and checks that everything is where a Linux desktop looks for
# it, that the .tar.gz and `cmake --install` hold the same files, and that the unpacked
# eventscope-cli works.
# Usage: test-package.sh BUILD_DIR CPACK APP_ID VERSION
set -euo pipefail
build=$1 cpack=$2 app_id=$3 version=$4
fail() { echo "test-package: $*" >&2; exit 1; }

# Everything in a folder of its own, so that other tests running meanwhile are not disturbed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Sanitizer builds are packaged as they are; their leak report at exit is not what is tested.
export ASAN_OPTIONS=detect_leaks=0

"$cpack" --config "$build/CPackConfig.cmake" -G "DEB;TGZ" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack failed"; }
debs=("$tmp"/out/*.deb)
tgzs=("$tmp"/out/*.tar.gz)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb, got: ${debs[*]}"
[ ${#tgzs[@]} -eq 1 ] && [ -f "${tgzs[0]}" ] || fail "expected one .tar.gz, got: ${tgzs[*]}"
deb=${debs[0]}
echo "test-package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

[ "$(dpkg-deb -f "$deb" Package)" = eventscope ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "test-package: Depends: $depends"
# From dpkg-shlibdeps (the binaries' libraries) and from the plugins Qt loads at run time.
for dep in libc6 libqt6core6 libqt6widgets6 libqt6sql6 libqt6sql6-sqlite qt6-qpa-plugins; do
  grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep"
done

root=$tmp/root
dpkg-deb -x "$deb" "$root"
usr=$root/usr
expected=(
  bin/eventscope
  bin/eventscope-cli
  share/applications/$app_id.desktop
  share/metainfo/$app_id.metainfo.xml
  share/icons/hicolor/scalable/apps/$app_id.svg
  share/man/man1/eventscope.1.gz
  share/man/man1/eventscope-cli.1.gz
)
for size in 16 32 48 64 128 256; do
  expected+=("share/icons/hicolor/${size}x$size/apps/$app_id.png")
done
for f in "${expected[@]}"; do
  [ -f "$usr/$f" ] || fail "the .deb has no /usr/$f"
done
for f in bin/eventscope bin/eventscope-cli; do
  [ -x "$usr/$f" ] || fail "/usr/$f is not executable"
done
# The PNGs are the size their folder says.
for size in 16 32 48 64 128 256; do
  png=$usr/share/icons/hicolor/${size}x$size/apps/$app_id.png
  dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $3 * 256 + $4 "x" $7 * 256 + $8 }')
  [ "$dims" = "${size}x$size" ] || fail "$png is $dims"
done

# The three ways of installing hold the same files.
(cd "$usr" && find . -type f | sort) >"$tmp/deb.list"
mkdir "$tmp/tgz"
tar -xzf "${tgzs[0]}" -C "$tmp/tgz"
(cd "$tmp"/tgz/* && find . -type f | sort) >"$tmp/tgz.list"
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
(cd "$tmp/prefix" && find . -type f | sort) >"$tmp/prefix.list"
diff -u "$tmp/deb.list" "$tmp/tgz.list" || fail "the .deb and the .tar.gz differ"
diff -u "$tmp/deb.list" "$tmp/prefix.list" || fail "the .deb and cmake --install differ"
[ "$(wc -l <"$tmp/deb.list")" -eq ${#expected[@]} ] || fail "unexpected files in the .deb"

# The man pages are troff pages that name every command and option the programs accept.
for page in eventscope eventscope-cli; do
  zcat "$usr/share/man/man1/$page.1.gz" >"$tmp/$page.1"
  grep -q "^\.TH \"${page^^}\" 1 " "$tmp/$page.1" || fail "$page.1 has no .TH line"
done
cli=$usr/bin/eventscope-cli
for command in info streams events replay stats demo import; do
  grep -q "^\.SS \"$command " "$tmp/eventscope-cli.1" || fail "eventscope-cli.1 lacks $command"
done
for option in stream at map screenshot size settings; do
  grep -q "^\\\\fB\\\\-\\\\-$option\\\\fR" "$tmp/eventscope.1" || fail "eventscope.1 lacks --$option"
done
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man --warnings -l "$tmp/eventscope-cli.1" "$tmp/eventscope.1" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "man warns: $warnings"
fi

# The unpacked programs run, from the system's Qt, on a store they made themselves.
[ "$("$cli" --version)" = "eventscope-cli $version" ] || fail "eventscope-cli --version"
[ "$(QT_QPA_PLATFORM=offscreen "$usr/bin/eventscope" --version)" = "Eventscope $version" ] ||
  fail "eventscope --version"
"$cli" demo "$tmp/demo.db" --events 2000 >/dev/null || fail "eventscope-cli demo"
info=$("$cli" info "$tmp/demo.db") || fail "eventscope-cli info"
grep -q '"events":2000' <<<"$info" || fail "eventscope-cli info: $info"
echo "test-package: contents, man pages and programs as expected"
