#!/usr/bin/env bash
# Builds the audio corpus for `./aigcmark bench audio-cue`: real clips without the rhythm cue, from Debian packages,
# as 44.1 kHz 16-bit WAV (speech rendered by espeak-ng, desktop and game sounds, tracker and Ogg music in 20 s
# excerpts). The corpus is not committed; this script remakes it. Needs root for apt-get (or the packages already
# installed) and ffmpeg with libopenmpt (Debian bookworm's has it).
#   bench/tools/build-audio-corpus.sh [OUT_DIR]      (default: bench/target/audio-corpus)
set -euo pipefail
out=${1:-"$(dirname "$0")/../target/audio-corpus"}
pkgs="sound-theme-freedesktop espeak-ng chromium-bsu-data pingus-data frozen-bubble-data"
missing=$(for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  apt-get install -y $missing
fi
mkdir -p "$out/clips" "$out/music"
wav() { # in, out, [ffmpeg input options...]
  local in=$1 o=$2; shift 2
  ffmpeg -nostdin -v error -y "$@" -i "$in" -t 20 -ar 44100 -ac 2 -c:a pcm_s16le "$o"
}
n=0
for f in /usr/share/sounds/freedesktop/stereo/*.oga; do wav "$f" "$out/clips/freedesktop-$(basename "${f%.*}").wav"; n=$((n+1)); done
for f in /usr/share/games/chromium-bsu/wav/*.wav; do wav "$f" "$out/clips/chromium-bsu-$(basename "${f%.*}").wav"; n=$((n+1)); done
for f in /usr/share/games/pingus/data/sounds/*.wav; do wav "$f" "$out/clips/pingus-$(basename "${f%.*}").wav"; n=$((n+1)); done
for f in /usr/share/games/frozen-bubble/snd/*.ogg; do
  b=$(basename "${f%.*}")
  case $b in
    *zik*) for s in 0 40; do wav "$f" "$out/clips/frozen-bubble-$b-$s.wav" -ss $s; n=$((n+1)); done;;
    *) wav "$f" "$out/clips/frozen-bubble-$b.wav"; n=$((n+1));;
  esac
done
# tracker music: two 20 s excerpts of each module as clips; a third, later one as background music for the SNR attack
for f in /usr/share/games/pingus/data/music/*.it /usr/share/games/pingus/data/music/*.s3m; do
  b=$(basename "${f%.*}")
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f" | cut -d. -f1)
  wav "$f" "$out/clips/pingus-music-$b-0.wav"; n=$((n+1))
  if [ "${dur:-0}" -gt 35 ]; then wav "$f" "$out/clips/pingus-music-$b-30.wav" -ss 30; n=$((n+1)); fi
  if [ "${dur:-0}" -gt 65 ]; then wav "$f" "$out/music/pingus-music-$b-60.wav" -ss 60; fi
done
# speech: Mandarin and English sentences in several voices, speeds and pitches
i=0
while IFS='|' read -r voice text; do
  [ -z "$voice" ] && continue
  i=$((i+1))
  speed=$((140 + (i * 37) % 60)); pitch=$((30 + (i * 23) % 50))
  espeak-ng -v "$voice" -s $speed -p $pitch -w "$out/speech.tmp.wav" "$text"
  wav "$out/speech.tmp.wav" "$out/clips/espeak-$(printf %02d $i)-$voice.wav"
  n=$((n+1))
done <<'SENTENCES'
cmn|今天的天气很好，我们去公园散步吧。
cmn|本内容由人工智能生成，请注意甄别。
cmn|请在听到提示音后留言，谢谢。
cmn|北京时间下午三点整，现在播报新闻。
cmn|这段音乐是用电脑合成的，你觉得好听吗？
cmn|火车将于十点二十分从第三站台出发。
cmn|我喜欢在周末读书、喝茶和听音乐。
cmn|请系好安全带，飞机即将起飞。
cmn|一二三四五六七八九十。
cmn|春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。
cmn|您的快递已经送达，请及时取件。
cmn|会议将在五分钟后开始，请各位准时参加。
cmn|这个问题的答案是四十二。
cmn|前方路口请左转，然后直行五百米。
cmn|欢迎致电客户服务中心，人工服务请按零。
yue|今日天氣幾好，出去行下啦。
en|The quick brown fox jumps over the lazy dog.
en|This recording was made on a rainy afternoon in late November.
en-us|Please hold, your call is important to us.
en-us|The next train to the airport departs from platform four.
en|Artificial intelligence can now synthesise speech that sounds natural.
en|Turn left at the next junction, then continue for half a mile.
en-us|Welcome to the evening news. Here are the headlines.
en|One, two, three, four, five, six, seven, eight, nine, ten.
en|She sells sea shells by the sea shore.
en-us|The meeting has been moved to Thursday at three o'clock.
en|Dot dash dot dot is the Morse code for the letters A and I.
en-us|Your package has been delivered to the front door.
en|To be, or not to be, that is the question.
en|Press one for sales, two for support, or stay on the line.
de|Guten Morgen, wie geht es Ihnen heute?
fr|Le train à destination de Paris partira dans cinq minutes.
es|Buenos días, bienvenidos a nuestro programa de radio.
ja|今日はとても良い天気ですね。
en-us|Beep beep beep, the alarm clock rings at seven.
en|Counting down: ten, nine, eight, seven, six, five, four, three, two, one.
cmn|滴滴滴，嘟嘟，滴滴，这是莫尔斯电码。
cmn|人工智能合成的声音越来越自然了。
en-us|Mississippi, Massachusetts, Minnesota and Missouri.
en|Hello? Hello? Can you hear me? The line is very bad.
SENTENCES
rm -f "$out/speech.tmp.wav"
echo "$n clips in $out/clips, $(ls "$out/music" | wc -l) music beds in $out/music"
