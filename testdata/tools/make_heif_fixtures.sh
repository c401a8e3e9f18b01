#!/usr/bin/env bash
# HEIF/HEIC and AVIF fixtures (heif/), made by libheif's heif-enc (Debian libheif-examples 1.15.1: x265 for HEIC,
# libaom for AVIF), not by aigcmark. heif-enc copies a JPEG's EXIF and XMP into 'Exif' and 'mime' items, so the
# labelled ones carry the records that exiftool wrote into labeled/*.jpg. Needs heif-enc and ImageMagick.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
F="$HERE/../fixtures"
O="$F/heif"
mkdir -p "$O"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
convert "$F/photos/22-red-flower-garden.jpg" -resize 512x -strip "$T/plain.png"
heif-enc -q 40 -o "$O/plain.heic" "$T/plain.png"
heif-enc -q 40 -A -o "$O/plain.avif" "$T/plain.png"
heif-enc -q 40 -o "$O/xmp-element.heic" "$F/labeled/xmp-element.jpg"
heif-enc -q 40 -A -o "$O/xmp-element.avif" "$F/labeled/xmp-element.jpg"
heif-enc -q 40 -o "$O/exif-usercomment-wrapped.heic" "$F/labeled/exif-usercomment-wrapped.jpg"
# An AVIF image sequence (ftyp avis: a 'meta' for the still plus a 'moov' track whose chunk offsets a write must move),
# by ffmpeg's AVIF muxer with libaom, from ffmpeg's own test pattern (three frames).
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc=size=64x48:rate=5 -frames:v 3 -c:v libaom-av1 -cpu-used 8 \
  -threads 1 -fflags +bitexact -flags:v +bitexact -map_metadata -1 "$O/ffmpeg-sequence.avif"
