#!/usr/bin/env bash
# Downloads the Debian packages the fixtures are cut from and unpacks them (no install)
# into $SRC (default /tmp/aigcmark-fixture-sources). Needs apt lists: run `apt-get update` first.
set -euo pipefail
SRC=${SRC:-/tmp/aigcmark-fixture-sources}
mkdir -p "$SRC/debs" "$SRC/x"
cd "$SRC/debs"
PKGS="lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds plasma-workspace-wallpapers"
for p in $PKGS; do
  ls ${p}_*.deb >/dev/null 2>&1 || apt-get download "$p"
done
for deb in *.deb; do
  name=${deb%%_*}
  [ -d "$SRC/x/$name" ] || { mkdir -p "$SRC/x/$name"; dpkg-deb -x "$deb" "$SRC/x/$name"; }
done
echo "$SRC/x"
