#!/usr/bin/env bash
# Small real files of formats aigcmark recognises by magic bytes but cannot label (unsupported/): the error must
# name the format ("AVI video", "MP3 audio", ...) instead of printing magic bytes. Needs ffmpeg, ImageMagick, python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
F="$HERE/../fixtures"
O="$F/unsupported"
mkdir -p "$O"
A=(-hide_banner -loglevel error -y -ss 0.5 -t 0.5 -i "$F/video/sample-360p-2s5.mp4" -vn -map_metadata -1 -fflags +bitexact -ac 1)
ffmpeg "${A[@]}" -ar 16000 -c:a pcm_s16le "$O/clip.wav"
ffmpeg "${A[@]}" -ar 22050 -c:a libmp3lame -b:a 32k "$O/clip-id3.mp3"
ffmpeg "${A[@]}" -ar 22050 -c:a libmp3lame -b:a 32k -id3v2_version 0 -write_xing 0 "$O/clip-frames.mp3"
ffmpeg "${A[@]}" -ar 16000 -c:a flac "$O/clip.flac"
ffmpeg "${A[@]}" -ar 48000 -c:a libopus -b:a 24k "$O/clip-opus.ogg"
# AVI: the first second of the OpenCV sample, stream-copied (same codec as the original).
ffmpeg -hide_banner -loglevel error -y -i "$F/video/vtest.avi" -t 1 -c copy -map_metadata -1 -fflags +bitexact "$O/vtest-1s.avi"
convert "$F/jpeg/plain.jpg" -resize 96x -strip "BMP3:$O/still.bmp"
convert "$F/jpeg/plain.jpg" -resize 96x -strip -quality 50 "$O/still.avif"
convert "$F/jpeg/plain.jpg" -resize 96x -strip -quality 50 "$O/still.heic"
python3 - "$O" <<'PY'
import sys, zipfile
o = sys.argv[1]
fixed = (2025, 1, 1, 0, 0, 0)
def add(z, name, data, stored=False):
    z.writestr(zipfile.ZipInfo(name, fixed), data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
with zipfile.ZipFile(f"{o}/plain.zip", "w") as z:
    add(z, "readme.txt", "a plain ZIP archive, not an office document\n")
# EPUB / ODF: the first entry is an uncompressed "mimetype" naming the kind (OCF 3.0 §4.3, ODF 1.2 part 3 §3.3).
with zipfile.ZipFile(f"{o}/minimal.epub", "w") as z:
    add(z, "mimetype", "application/epub+zip", stored=True)
    add(z, "META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles/></container>')
with zipfile.ZipFile(f"{o}/minimal.odt", "w") as z:
    add(z, "mimetype", "application/vnd.oasis.opendocument.text", stored=True)
    add(z, "META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"/>')
PY
