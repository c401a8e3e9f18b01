#!/usr/bin/env bash
# Read-only containers labelled the way exiftool writes them: TIFF (XMP in IFD0 tag 700) and GIF
# (XMP application extension). Cut from photos/22-red-flower-garden.jpg. Needs ImageMagick 6 and exiftool.
set -euo pipefail
cd "$(dirname "$0")/../fixtures"
rec='{"Label":"1","ContentProducer":"001191110102MACQD9K64010000","ProduceID":"doubao-20250901-0001","ReservedCode1":"","ContentPropagator":"001191110102MACQD9K64010000","PropagateID":"doubao-20250901-0001","ReservedCode2":""}'
convert photos/22-red-flower-garden.jpg -resize 320x200^ -gravity center -extent 320x200 -strip -compress lzw labeled/xmp-element.tif
convert photos/22-red-flower-garden.jpg -resize 160x100^ -gravity center -extent 160x100 -strip -colors 64 labeled/xmp-element.gif
for f in labeled/xmp-element.tif labeled/xmp-element.gif; do
  exiftool -config ../tools/tc260.exiftool.config -q -overwrite_original "-XMP-TC260:AIGC=$rec" "$f"
done
