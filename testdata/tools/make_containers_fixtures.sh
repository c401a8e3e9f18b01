#!/usr/bin/env bash
# GIF/TIFF writing and AVI/FLV records (issue 18): small files made by ffmpeg, ImageMagick and exiftool from the
# project's own footage and photos. Needs ffmpeg, ImageMagick 6 and exiftool.
set -euo pipefail
cd "$(dirname "$0")/../fixtures"
rec='{"Label":"1","ContentProducer":"001191110102MACQD9K64010000","ProduceID":"ffmpeg-20261207-0001","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}'
ff=(ffmpeg -v error -y -bitexact -i video/vtest.avi -t 1 -vf scale=160:120 -r 5)
# Animated GIF, 5 frames with a loop count (ffmpeg's GIF muxer writes NETSCAPE2.0).
ffmpeg -v error -y -i video/vtest.avi -t 1 -vf "scale=96:72,fps=5" -loop 0 containers/animated.gif
# TIFF: big-endian strips and little-endian tiles; a BigTIFF carrying the exiftool-labelled XMP of labeled/xmp-element.tif.
convert photos/22-red-flower-garden.jpg -resize 160x100^ -gravity center -extent 160x100 -strip -define tiff:endian=msb -compress lzw containers/big-endian.tif
convert photos/22-red-flower-garden.jpg -resize 160x100^ -gravity center -extent 160x100 -strip -define tiff:endian=lsb -compress zip -define tiff:tile-geometry=64x64 containers/tiled.tif
convert labeled/xmp-element.tif -resize 80x50 TIFF64:containers/bigtiff-xmp.tif
# AVI: none, and the record as the INFO comment (ICMT). `-metadata AIGC=` writes nothing into an AVI: ffmpeg's
# muxer keeps only the INFO tags it knows (riff_tags: IART ICMT INAM ISFT ...), so that file equals clip.avi.
"${ff[@]}" -c:v mpeg4 -q:v 8 containers/clip.avi
"${ff[@]}" -c:v mpeg4 -q:v 8 -metadata "comment=$rec" containers/clip-icmt-record.avi
# FLV: none, and the onMetaData key AIGC.
"${ff[@]}" -c:v flv1 -q:v 8 containers/clip.flv
"${ff[@]}" -c:v flv1 -q:v 8 -metadata "AIGC=$rec" containers/clip-aigc.flv
# FLV with the keyframe index (absolute file positions in onMetaData) that a rewrite must move.
"${ff[@]}" -c:v flv1 -q:v 8 -g 2 -flvflags add_keyframe_index containers/clip-keyframes.flv
