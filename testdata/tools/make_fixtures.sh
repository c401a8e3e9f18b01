#!/usr/bin/env bash
# Regenerates the format / labelled / broken fixtures from the photo corpus.
# Needs: Debian python3 with Pillow (WebP, LittleCMS), exiftool, cwebp, ImageMagick convert.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[ -f "$HERE/../fixtures/photos/19-fig-red-bowl.jpg" ] || "$HERE/make_photos.sh"
exec /usr/bin/python3 "$HERE/make_fixtures.py"
