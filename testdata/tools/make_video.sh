#!/usr/bin/env bash
# testdata/fixtures/video/: vtest.avi copied from Debian opencv-doc (real street footage, 768x576,
# 10 fps, MS-MPEG4 v3, no audio), and sample-720p.mp4 made from its first 5 s: cropped to 16:9
# (768x432 from y=72), Lanczos-scaled to 1280x720, 25 fps, H.264 High yuv420p CRF 23, with a
# 440 Hz sine as a stereo 48 kHz AAC-LC track (the source has no audio). Bit-exact flags keep
# reruns identical for the same ffmpeg build.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/../fixtures/video}
SRC=/usr/share/doc/opencv-doc/examples/data/vtest.avi   # apt-get install opencv-doc
mkdir -p "$OUT"
cp "$SRC" "$OUT/vtest.avi"
ffmpeg -hide_banner -loglevel error -y -i "$OUT/vtest.avi" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=5" -t 5 \
  -filter:v "crop=768:432:0:72,scale=1280:720:flags=lanczos,fps=25,format=yuv420p" \
  -c:v libx264 -preset slow -crf 23 -profile:v high -g 50 -threads 1 \
  -c:a aac -b:a 128k -ac 2 -map 0:v:0 -map 1:a:0 \
  -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -movflags +faststart \
  "$OUT/sample-720p.mp4"
ls -l "$OUT"
