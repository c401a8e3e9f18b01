#!/usr/bin/env bash
# Audio fixtures (audio/): a real Debian sound (sound-theme-freedesktop's complete.oga, CC-BY-3.0) in each container
# aigcmark labels, and records written by tools other than aigcmark (ffmpeg -metadata, a python-built id3 chunk whose
# tag ffmpeg wrote). Needs: apt-get install sound-theme-freedesktop; ffmpeg (libmp3lame, libopus); python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
O="$HERE/../fixtures/audio"
SRC=/usr/share/sounds/freedesktop/stereo/complete.oga
mkdir -p "$O"
cp "$SRC" "$O/complete.oga"
J1='{"Label":"1","ContentProducer":"00119144030008867405X210002","ProduceID":"sample-001","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}'
J2='{"Label":"3","ContentProducer":"","ProduceID":"","ReservedCode1":"","ContentPropagator":"001191110102MACQD9K64010000","PropagateID":"platform-002","ReservedCode2":""}'
A=(-hide_banner -loglevel error -y -i "$SRC" -map_metadata -1 -fflags +bitexact -ac 1)
ffmpeg "${A[@]}" -ar 16000 -c:a pcm_s16le "$O/complete.wav"
ffmpeg "${A[@]}" -ar 8000 -c:a pcm_s16le -rf64 always "$O/complete-rf64.wav"
ffmpeg "${A[@]}" -ar 22050 -c:a libmp3lame -b:a 48k "$O/complete.mp3"
ffmpeg "${A[@]}" -ar 22050 -c:a libmp3lame -b:a 48k -id3v2_version 0 -write_xing 0 "$O/complete-bare.mp3"
ffmpeg "${A[@]}" -ar 16000 -c:a flac "$O/complete.flac"
ffmpeg "${A[@]}" -ar 48000 -c:a libopus -b:a 24k "$O/complete.opus"
ffmpeg "${A[@]}" -ar 22050 -c:a aac -b:a 48k "$O/complete.m4a"
# Records written by ffmpeg: TXXX in ID3v2.3; two records in one file (TXXX described in lower case, and COMM);
# a WAV LIST/INFO ICMT; Vorbis comments in FLAC, Ogg Vorbis (stream copy) and Opus.
ffmpeg "${A[@]}" -ar 22050 -c:a libmp3lame -b:a 48k -id3v2_version 3 -metadata "AIGC=$J1" "$O/ffmpeg-txxx-v23.mp3"
ffmpeg "${A[@]}" -ar 22050 -c:a libmp3lame -b:a 48k -metadata "aigc=$J1" -metadata "comment=$J2" "$O/ffmpeg-two-records.mp3"
ffmpeg "${A[@]}" -ar 16000 -c:a pcm_s16le -metadata "comment=$J1" "$O/ffmpeg-info-icmt.wav"
ffmpeg "${A[@]}" -ar 16000 -c:a flac -metadata "AIGC=$J1" -metadata "comment=$J2" "$O/ffmpeg-two-records.flac"
ffmpeg -hide_banner -loglevel error -y -i "$SRC" -map_metadata -1 -fflags +bitexact -c copy -metadata "AIGC=$J1" "$O/ffmpeg-aigc.oga"
ffmpeg "${A[@]}" -ar 48000 -c:a libopus -b:a 24k -metadata "AIGC=$J1" -metadata "DESCRIPTION=$J2" "$O/ffmpeg-two-records.opus"
# A WAV with an "id3 " chunk (as some DAWs write) holding the ID3v2.3 tag ffmpeg wrote above, and an INFO entry
# with the id AIGC (the TC260 AVI guide's form, seen in WAVs): python3 only wraps bytes made by ffmpeg.
python3 - "$O" "$J1" <<'PY'
import struct, sys
o, j1 = sys.argv[1], sys.argv[2].encode()
mp3 = open(f"{o}/ffmpeg-txxx-v23.mp3", "rb").read()
size = ((mp3[6] & 0x7F) << 21) | ((mp3[7] & 0x7F) << 14) | ((mp3[8] & 0x7F) << 7) | (mp3[9] & 0x7F)
tag = mp3[:10 + size]
wav = open(f"{o}/complete.wav", "rb").read()
def chunk(cid, data):
    return cid + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
def write(name, body):
    open(f"{o}/{name}", "wb").write(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
write("id3-chunk.wav", wav[12:] + chunk(b"id3 ", tag))
write("info-aigc.wav", wav[12:] + chunk(b"LIST", b"INFO" + chunk(b"AIGC", j1 + b"\0") + chunk(b"ISFT", b"Lavf\0")))
PY
ls -l "$O"
